import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { org } from '../../registry/testing/factories.js';
import { main } from '../cli-main.js';
import { openConfiguredStore } from '../configured-store.js';
import { type Exchange, startExchange } from '../exchange.js';

const home = mkdtempSync(join(tmpdir(), 'hetao-admin-'));
const ORG = 'org_01JADMINTEST0000000000000';
let x: Exchange;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...argv, '--home', home], { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

const me = (token: string) => fetch(`${x.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  const store = openConfiguredStore(loadConfig({ HETAO_HOME: home }));
  await store.migrate(Date.now());
  await store.registry.insertOrganization(org({ id: ORG, name: 'Admin Test Lab', jurisdiction: 'HK' }));
  await store.close();
  x = await startExchange(
    loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_DEMO: 'false', HETAO_LOG_LEVEL: 'silent' }),
  );
});

afterAll(async () => {
  await x?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('hetao admin token', () => {
  it('creates a token the running exchange accepts, lists the account without it, and revokes it', async () => {
    const created = await cli(
      'admin',
      'token',
      'create',
      '--org',
      ORG,
      '--role',
      'org-member',
      '--name',
      'ci',
      '--json',
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    const { accountId, token } = JSON.parse(created.out) as { accountId: string; token: string };
    const spare = JSON.parse(
      (await cli('admin', 'token', 'create', '--org', ORG, '--role', 'org-member', '--json')).out,
    );

    expect((await me(token)).status).toBe(200);

    const listed = await cli('admin', 'token', 'list', '--org', ORG, '--json');
    const items = (JSON.parse(listed.out) as { items: { accountId: string; revokedAt: string | null }[] }).items;
    expect(items.map((i) => i.accountId).sort()).toEqual([accountId, spare.accountId].sort());
    expect(items.every((i) => i.revokedAt === null)).toBe(true);
    expect(listed.out).not.toContain(token);

    // A token the exchange has not cached yet stops working at once; a cached one at its next revocation check (1 s).
    expect(await cli('admin', 'token', 'revoke', '--account', spare.accountId)).toMatchObject({ code: 0 });
    expect((await me(spare.token)).status).toBe(401);
    expect(await cli('admin', 'token', 'revoke', '--account', accountId)).toMatchObject({ code: 0 });
    let status = (await me(token)).status;
    for (const until = Date.now() + 8_000; status === 200 && Date.now() < until; status = (await me(token)).status)
      await new Promise((r) => setTimeout(r, 250));
    expect(status).toBe(401);

    const after = JSON.parse((await cli('admin', 'token', 'list', '--org', ORG, '--json')).out) as {
      items: { accountId: string; revokedAt: string | null }[];
    };
    expect(after.items.every((i) => typeof i.revokedAt === 'string')).toBe(true);
  }, 20_000);

  it('refuses an unknown account and a bad role, naming the flag, and changes nothing', async () => {
    const before = (await cli('admin', 'token', 'list', '--json')).out;
    const unknown = await cli('admin', 'token', 'revoke', '--account', 'acct_nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^HETAO_STORE_NOT_FOUND: --account acct_nope/);
    const badRole = await cli('admin', 'token', 'create', '--org', ORG, '--role', 'emperor');
    expect(badRole.code).toBe(2);
    expect(badRole.err).toMatch(/^HETAO_CLI_USAGE: --role must be one of/);
    expect((await cli('admin', 'token', 'list', '--json')).out).toBe(before);
  });
});
