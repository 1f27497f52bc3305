import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, type AccountStore, hashToken } from '../../access/index.js';
import { buildApi } from '../build-api.js';
import { createHarness, type Harness } from '../testing/api-harness.js';
import { type Authentication, actorOf, installAuthentication } from './authenticate.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const me = (authorization?: string) =>
  h.app.inject({ method: 'GET', url: '/api/v1/me', headers: authorization === undefined ? {} : { authorization } });

describe('bearer-token authentication', () => {
  it('accepts the token after the Bearer scheme in any case and with any spacing', async () => {
    const token = h.tokens['org-member'];
    for (const header of [
      `Bearer ${token}`,
      `bearer ${token}`,
      `BEARER ${token}`,
      `Bearer   ${token}`,
      `Bearer\t${token}`,
    ]) {
      const res = await me(header);
      expect(res.statusCode, header).toBe(200);
      expect(res.json().account.orgId, header).toBe(h.orgA.id);
    }
  });

  it('refuses a missing, malformed or unknown token with 401 and a code', async () => {
    const token = h.tokens['org-member'];
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      `Basic ${token}`,
      `Bearer ${token} extra`,
      `Bearer ${token}x`,
      `${token}`,
    ]) {
      const res = await me(header);
      expect(res.statusCode, String(header)).toBe(401);
      expect(res.json().code, String(header)).toBe('HETAO_API_UNAUTHENTICATED');
    }
  });

  it('leaves public routes and paths no route matches alone', async () => {
    expect((await h.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await h.app.inject({ url: '/api/v1/ledger/checkpoint' })).statusCode).not.toBe(401);
    const nowhere = await h.app.inject({ url: '/api/v1/no-such-resource' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json().code).toBe('HETAO_API_NOT_FOUND');
  });

  it('checks HEAD requests of authenticated routes too', async () => {
    expect((await h.app.inject({ method: 'HEAD', url: '/api/v1/me' })).statusCode).toBe(401);
    const ok = await h.app.inject({
      method: 'HEAD',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${h.tokens['org-member']}` },
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe('revocation of a cached token', () => {
  it('keeps answering from the cache until the revocation check, then refuses the token', async () => {
    const accounts = new Map<string, Account>();
    const store: AccountStore = {
      insertAccount: async (a) => {
        accounts.set(a.tokenHash, a);
        return a;
      },
      findAccountByTokenHash: async (hash) => accounts.get(hash) ?? null,
      listAccounts: async () => [...accounts.values()],
      revokeAccount: async (id, at) => {
        for (const [hash, a] of accounts) if (a.id === id) accounts.set(hash, { ...a, revokedAt: at });
      },
      revokedAmong: async (hashes) => hashes.filter((hash) => accounts.get(hash)?.revokedAt != null),
    };
    const account = (id: string, token: string): Account => ({
      id,
      name: id,
      orgId: 'org_1',
      role: 'org-member',
      side: null,
      siteId: null,
      tokenHash: hashToken(token),
      createdAt: 0,
      revokedAt: null,
    });
    await store.insertAccount(account('acct_a', 'token-a'));
    await store.insertAccount(account('acct_b', 'token-b'));
    let auth: Authentication | undefined;
    const app = await buildApi({
      logger: false,
      register: async (a) => {
        auth = installAuthentication(a, store, () => 0);
        a.get('/api/v1/whoami', async (req) => ({ id: actorOf(req).accountId }));
      },
    });
    try {
      const who = async (token: string) =>
        (await app.inject({ url: '/api/v1/whoami', headers: { authorization: `Bearer ${token}` } })).statusCode;
      expect([await who('token-a'), await who('token-b')]).toEqual([200, 200]); // both cached now
      await store.revokeAccount('acct_a', 1);
      expect(await who('token-a')).toBe(200); // the cache still answers (clock frozen, never expires)
      expect(await auth?.dropRevoked()).toBe(1);
      expect([await who('token-a'), await who('token-b')]).toEqual([401, 200]);
      expect(await auth?.dropRevoked()).toBe(0);
    } finally {
      await app.close();
    }
  });
});
