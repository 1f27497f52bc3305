import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExchangeLike, runCli, startExchangeLike } from './exchange-like.js';

let x: ExchangeLike;
let witnessKeys: string[];

beforeAll(async () => {
  x = await startExchangeLike(1000);
  witnessKeys = x.ledger.routes.witnesses.keys.map((w) => w.key);
});
afterAll(async () => x?.close());

const verify = (...extra: string[]) => runCli(['ledger', 'verify', '--exchange', x.url, ...extra]);

/** Applies SQL edits to the stored entries, runs verify, then restores every entry from the saved copy. */
async function tampered(...edits: string[]): Promise<{ code: number; err: string }> {
  for (const e of edits) await sql.raw(e).execute(x.store.db);
  try {
    return await verify();
  } finally {
    await sql.raw('DELETE FROM ledger_entries').execute(x.store.db);
    await sql.raw('INSERT INTO ledger_entries (idx, bytes) SELECT idx, bytes FROM saved').execute(x.store.db);
  }
}

describe('hetao ledger verify / prove / check-proof against a running exchange', () => {
  it('verifies the whole ledger, trusting served keys on first use and saying so', async () => {
    const r = await verify();
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ok: ${x.ledger.origin} size 1000`);
    expect(r.out).toContain('cosigned by');
    expect(r.err).toContain('trust on first use');
  });

  it('verifies with pinned keys, and fails with a wrong key or an unmet quorum', async () => {
    const pins = ['--key', x.ledger.verifierKey, ...witnessKeys.flatMap((k) => ['--witness-key', k])];
    const pinned = await verify(...pins);
    expect(pinned).toMatchObject({ code: 0, err: '' });
    const other = (await runCli(['witness', 'key', '--name', 'someone-else', '--home', x.home])).out.trim();
    const wrongWitness = await verify('--key', x.ledger.verifierKey, '--witness-key', other);
    expect(wrongWitness.code).toBe(2);
    expect(wrongWitness.err).toContain('HETAO_LEDGER_POLICY_NOT_MET');
    const wrongLog = await verify('--key', 'hetao.exchange/other+00000000+AQ==');
    expect(wrongLog.code).toBe(2);
    expect(wrongLog.err).toContain('HETAO_LEDGER_KEY_INVALID');
  });

  it('names a changed entry, a dropped entry and the first of two swapped entries', async () => {
    await sql.raw('CREATE TABLE saved AS SELECT idx, bytes FROM ledger_entries').execute(x.store.db);
    const changed = await tampered(
      'UPDATE ledger_entries SET bytes = (SELECT bytes FROM saved WHERE idx = 5) WHERE idx = 300',
    );
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(/HETAO_LEDGER_VERIFY_FAILED: .*entry 300 does not hash.*first bad entry: 300/);
    const edited = await tampered(
      "UPDATE ledger_entries SET bytes = CAST(REPLACE(CAST(bytes AS TEXT), ',', ', ') AS BLOB) WHERE idx = 301",
    );
    expect(edited.err).toMatch(/entry 301: HETAO_LEDGER_ENTRY_NONCANONICAL/);
    const hole = await tampered('DELETE FROM ledger_entries WHERE idx = 700');
    expect(hole.code).toBe(2);
    expect(hole.err).toMatch(/entry 700 is missing/);
    const shifted = await tampered(
      'DELETE FROM ledger_entries WHERE idx = 700',
      'UPDATE ledger_entries SET idx = idx - 1 WHERE idx > 700',
    );
    expect(shifted.err).toMatch(/first bad entry: 700\b/);
    const swapped = await tampered(
      'UPDATE ledger_entries SET bytes = (SELECT bytes FROM saved s WHERE s.idx = 21 - ledger_entries.idx) WHERE idx IN (10, 11)',
    );
    expect(swapped.code).toBe(2);
    expect(swapped.err).toMatch(/entry 10 does not hash/);
    expect((await verify()).code).toBe(0);
  });

  it('prints a tlog-proof bundle that check-proof verifies offline; a doctored one fails', async () => {
    const proved = await runCli(['ledger', 'prove', '--index', '432', '--exchange', x.url]);
    expect(proved.code).toBe(0);
    expect(proved.out.startsWith('c2sp.org/tlog-proof@v1\nextra ')).toBe(true);
    const file = join(x.home, 'proof.txt');
    writeFileSync(file, proved.out);
    const pins = ['--key', x.ledger.verifierKey, ...witnessKeys.flatMap((k) => ['--witness-key', k])];
    const ok = await runCli(['ledger', 'check-proof', file, ...pins]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/ok: entry 432 \(\S+\) is in .* at tree size 1000/);
    writeFileSync(file, proved.out.replace('index 432', 'index 433'));
    const bad = await runCli(['ledger', 'check-proof', file, ...pins]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('HETAO_LEDGER_PROOF_INVALID');
    const noWitness = await runCli(['ledger', 'check-proof', file, '--key', x.ledger.verifierKey, '--quorum', 'x']);
    expect(noWitness.code).toBe(2);
    const missing = await runCli(['ledger', 'prove', '--index', '1000', '--exchange', x.url]);
    expect(missing.code).not.toBe(0);
  });
});
