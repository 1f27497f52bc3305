import { describe, expect, it } from 'vitest';
import { formatCheckpoint, openCheckpoint } from './checkpoint.js';
import { decodeEntryBundle, encodeEntryBundle } from './entry-bundle.js';
import { encodeEntry } from './entry-codec.js';
import type { LedgerEntry } from './entry-types.js';
import { Log } from './log.js';
import { signNote } from './note.js';
import { SIG_COSIGNATURE_V1, signerFromSeed, verifierOf } from './note-keys.js';
import { MemoryLedgerStore } from './testing/memory-ledger-store.js';
import { sampleEntries } from './testing/sample-entries.js';
import { verifyLog } from './verify-log.js';
import { trustPolicy } from './witness-policy.js';

const signer = signerFromSeed('hetao.example/ledger', new Uint8Array(32).fill(3));
const policy = trustPolicy(signer.verifierKey);
const entries = sampleEntries(700);

async function setup(n = 700) {
  const store = new MemoryLedgerStore();
  const log = await Log.open({ store, signer, maxBatch: 97 });
  await Promise.all(entries.slice(0, n).map((e) => log.append(e)));
  const checkpoint = await log.checkpoint();
  const fetch = (path: string) => log.tile(path);
  return { store, log, checkpoint, fetch };
}

describe('verifyLog', () => {
  it('verifies signatures, every entry and the root', async () => {
    const { checkpoint, fetch } = await setup();
    const r = await verifyLog({ checkpoint, policy, fetch });
    expect(r).toMatchObject({ ok: true, size: 700 });
    expect(await verifyLog({ checkpoint, policy, fetch: async () => new Uint8Array(0) })).toMatchObject({ ok: false });
  });

  it('verifies the empty log', async () => {
    const store = new MemoryLedgerStore();
    const log = await Log.open({ store, signer });
    expect(await verifyLog({ checkpoint: await log.checkpoint(), policy, fetch: (p) => log.tile(p) })).toMatchObject({
      ok: true,
      size: 0,
    });
  });

  it('names a changed entry', async () => {
    const { store, checkpoint, fetch } = await setup();
    const changed = { ...(entries[300] as LedgerEntry), at: 1 } as LedgerEntry;
    store.entries[300] = encodeEntry(changed);
    const r = await verifyLog({ checkpoint, policy, fetch });
    expect(r).toMatchObject({ ok: false, code: 'HETAO_LEDGER_VERIFY_FAILED', index: 300 });
    expect(r.ok ? '' : r.reason).toContain('altered, removed or moved');
  });

  it('names a non-canonical entry', async () => {
    const { store, checkpoint, fetch } = await setup();
    const s = new TextDecoder().decode(store.entries[5]);
    store.entries[5] = new TextEncoder().encode(s.replace(',', ' ,'));
    const r = await verifyLog({ checkpoint, policy, fetch });
    expect(r).toMatchObject({ ok: false, index: 5 });
    expect(r.ok ? '' : r.reason).toContain('HETAO_LEDGER_ENTRY_NONCANONICAL');
  });

  it('names a dropped entry', async () => {
    const { store, checkpoint, fetch } = await setup();
    store.entries.splice(123, 1);
    const r = await verifyLog({ checkpoint, policy, fetch });
    expect(r).toMatchObject({ ok: false, index: 123 });
  });

  it('names an entry removed from inside a bundle as served, not the end of the bundle', async () => {
    const { log, checkpoint } = await setup();
    // A store that lost row 40: the first bundle is served with 255 entries, the level-0 tile still whole.
    const fetch = async (path: string) => {
      const bytes = await log.tile(path);
      if (path !== 'tile/entries/000') return bytes;
      const kept = decodeEntryBundle(bytes).filter((_, i) => i !== 40);
      return encodeEntryBundle(kept);
    };
    const r = await verifyLog({ checkpoint, policy, fetch });
    expect(r).toMatchObject({ ok: false, code: 'HETAO_LEDGER_VERIFY_FAILED', index: 40 });
    expect(r.ok ? '' : r.reason).toContain('holds 255 entries, not 256');
  });

  it('refuses a checkpoint the log key signed for another origin', async () => {
    const { log, checkpoint } = await setup(10);
    const { size, rootHash } = openCheckpoint(checkpoint, [verifierOf(signer)]).checkpoint;
    // Same key name, same tree, but the origin line names another log the same key signs for.
    const other = signNote(formatCheckpoint({ origin: 'hetao.example/staging', size, rootHash, extensions: [] }), [
      signer,
    ]);
    const r = await verifyLog({ checkpoint: other, policy, fetch: (p) => log.tile(p) });
    expect(r).toMatchObject({ ok: false, code: 'HETAO_LEDGER_VERIFY_FAILED' });
    expect(r.ok ? '' : r.reason).toContain('hetao.example/staging');
  });

  it('names the first of two reordered entries', async () => {
    const { store, checkpoint, fetch } = await setup();
    const [a, b] = [store.entries[400], store.entries[650]] as [Uint8Array, Uint8Array];
    store.entries[400] = b;
    store.entries[650] = a;
    expect(await verifyLog({ checkpoint, policy, fetch })).toMatchObject({ ok: false, index: 400 });
  });

  it('catches rewritten hashes by the root, and a fork against an earlier checkpoint', async () => {
    const honest = await setup(600);
    const earlier = openCheckpoint(honest.checkpoint, [verifierOf(signer)]).checkpoint;
    // The operator rewrites history: a different entry 10, the whole tree recomputed and re-signed.
    const forkStore = new MemoryLedgerStore();
    const fork = await Log.open({ store: forkStore, signer });
    await Promise.all(entries.map((e, i) => fork.append(i === 10 ? (entries[11] as LedgerEntry) : e)));
    const cp = await fork.checkpoint();
    const fetch = (p: string) => fork.tile(p);
    expect(await verifyLog({ checkpoint: cp, policy, fetch })).toMatchObject({ ok: true }); // self-consistent...
    const r = await verifyLog({ checkpoint: cp, policy, fetch, previous: earlier });
    expect(r).toMatchObject({ ok: false, code: 'HETAO_LEDGER_VERIFY_FAILED' });
    expect(r.ok ? '' : r.reason).toContain('fork');
    // ...but witnesses refuse to cosign it, so a 1-of-1 witness policy fails the forked checkpoint.
    const w = signerFromSeed('witness.sz', new Uint8Array(32).fill(4), SIG_COSIGNATURE_V1);
    const withWitness = trustPolicy(signer.verifierKey, [w.verifierKey], 1);
    expect(await verifyLog({ checkpoint: cp, policy: withWitness, fetch })).toMatchObject({
      ok: false,
      code: 'HETAO_LEDGER_POLICY_NOT_MET',
    });
    // the root catches hashes rewritten to match changed entries
    const { store, checkpoint, fetch: f2 } = await setup();
    store.entries[7] = forkStore.entries[10] as Uint8Array;
    (store.levels[0] as Uint8Array[])[7] = forkStore.levels[0]?.[10] as Uint8Array;
    const r2 = await verifyLog({ checkpoint, policy, fetch: f2 });
    expect(r2).toMatchObject({ ok: false });
    expect(r2.ok ? '' : r2.reason).toContain('root');
  });

  it('rejects a checkpoint signed by another key', async () => {
    const { checkpoint, fetch } = await setup(10);
    const other = trustPolicy(signerFromSeed('hetao.example/ledger', new Uint8Array(32)).verifierKey);
    expect(await verifyLog({ checkpoint, policy: other, fetch })).toMatchObject({
      ok: false,
      code: 'HETAO_LEDGER_NOTE_UNVERIFIED',
    });
  });
});
