import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEntryBundle, encodeEntryBundle, type LedgerEntry } from '../../src/ledger/index.js';
import { sampleEntries } from '../../src/ledger/testing/sample-entries.js';
import { type ExchangeLike, runCli, startExchangeLike } from './exchange-like.js';

let x: ExchangeLike;
let witnessKeys: string[];

beforeAll(async () => {
  x = await startExchangeLike(1000);
  witnessKeys = x.ledger.routes.witnesses.keys.map((w) => w.key);
});
afterAll(async () => x?.close());

const verify = (...extra: string[]) => runCli(['ledger', 'verify', '--exchange', x.url, ...extra]);

type Entries = Map<number, Buffer>;

/** The stored entries by index, decoded from the entry bundle rows (migration 005). */
async function storedEntries(): Promise<Entries> {
  const rows = await sql<{ idx: number; bytes: Buffer }>`SELECT idx, bytes FROM ledger_bundles`.execute(x.store.db);
  const out: Entries = new Map();
  for (const r of rows.rows)
    decodeEntryBundle(r.bytes).forEach((e, i) => {
      out.set(Number(r.idx) * 256 + i, Buffer.from(e));
    });
  return out;
}

/** Rewrites the bundle rows from entries by index: each bundle holds its entries up to the first gap. */
async function storeEntries(entries: Entries): Promise<void> {
  await sql.raw('DELETE FROM ledger_bundles').execute(x.store.db);
  const last = Math.max(...entries.keys());
  for (let k = 0; k * 256 <= last; k++) {
    const run: Buffer[] = [];
    for (let i = k * 256; i < k * 256 + 256 && entries.has(i); i++) run.push(entries.get(i) as Buffer);
    if (run.length > 0)
      await sql`INSERT INTO ledger_bundles (idx, bytes) VALUES (${k}, ${Buffer.from(encodeEntryBundle(run))})`.execute(
        x.store.db,
      );
  }
}

/** Edits the stored entries, runs verify, then restores every entry. */
async function tampered(edit: (entries: Entries) => void): Promise<{ code: number; err: string }> {
  const saved = await storedEntries();
  const edited = new Map(saved);
  edit(edited);
  await storeEntries(edited);
  try {
    return await verify();
  } finally {
    await storeEntries(saved);
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
    const saved = await storedEntries();
    const at = (i: number) => saved.get(i) as Buffer;
    const changed = await tampered((m) => m.set(300, at(5)));
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(/HETAO_LEDGER_VERIFY_FAILED: .*entry 300 does not hash.*first bad entry: 300/);
    const edited = await tampered((m) =>
      m.set(301, Buffer.from(at(301).toString('latin1').replace(/,/g, ', '), 'latin1')),
    );
    expect(edited.err).toMatch(/entry 301: HETAO_LEDGER_ENTRY_NONCANONICAL/);
    const hole = await tampered((m) => m.delete(700));
    expect(hole.code).toBe(2);
    expect(hole.err).toMatch(/entry 700 is missing/);
    const shifted = await tampered((m) => {
      for (let i = 700; i < 999; i++) m.set(i, at(i + 1));
      m.delete(999);
    });
    expect(shifted.err).toMatch(/first bad entry: 700\b/);
    const swapped = await tampered((m) => {
      m.set(10, at(11));
      m.set(11, at(10));
    });
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

  it('with --state, pins what it verified and requires the next log to extend it: a rewritten history is a fork', async () => {
    const state = join(x.home, 'monitor', 'ledgers.json');
    const first = await verify('--state', state);
    expect(first.code).toBe(0);
    expect(first.err).toContain('trust on first use');
    const known = JSON.parse(readFileSync(state, 'utf8'))[x.url];
    expect(known).toMatchObject({ origin: x.ledger.origin, key: x.ledger.verifierKey, witnessKeys, size: 1000 });

    // The log grows: the next run pins the remembered keys (no trust on first use) and checks the extension.
    await Promise.all(sampleEntries(40).map((e) => x.ledger.record(e as LedgerEntry)));
    await x.ledger.witnessNow();
    const second = await verify('--state', state);
    expect(second).toMatchObject({ code: 0, err: '' });
    expect(second.out).toContain('size 1040');
    expect(second.out).toContain('extends the 1000 entries verified at');
    expect(JSON.parse(readFileSync(state, 'utf8'))[x.url].size).toBe(1040);

    // What this monitor saw before is not what the exchange serves now: a fork, or a log that shrank.
    const remembered = JSON.parse(readFileSync(state, 'utf8'));
    const forged = { ...remembered[x.url], size: 1000, rootHash: Buffer.alloc(32, 7).toString('base64') };
    writeFileSync(state, JSON.stringify({ [x.url]: forged }));
    const fork = await verify('--state', state);
    expect(fork.code).toBe(2);
    expect(fork.err).toMatch(/HETAO_LEDGER_VERIFY_FAILED: .*fork: the first 1000 entries do not match/);
    writeFileSync(state, JSON.stringify({ [x.url]: { ...remembered[x.url], size: 5000 } }));
    expect((await verify('--state', state)).err).toContain('the log shrank from 5000 to 1040 entries');
    // A log key other than the one remembered is refused, not trusted anew.
    const other = (await runCli(['witness', 'key', '--name', 'someone-else', '--home', x.home])).out.trim();
    writeFileSync(state, JSON.stringify({ [x.url]: { ...remembered[x.url], witnessKeys: [other], quorum: 1 } }));
    expect((await verify('--state', state)).err).toContain('HETAO_LEDGER_POLICY_NOT_MET');
    for (const bad of ['not json', '[1, 2]', JSON.stringify({ [x.url]: { key: 5 } })]) {
      writeFileSync(state, bad);
      const r = await verify('--state', state);
      expect([r.code, r.err]).toEqual([2, expect.stringContaining('HETAO_CLI_USAGE')]);
      expect(readFileSync(state, 'utf8')).toBe(bad); // left as it was
    }
  });
});
