import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/api-harness.js';

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
