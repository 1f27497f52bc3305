import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../core/index.js';
import { openCheckpoint } from './checkpoint.js';
import { decodeEntryBundle } from './entry-bundle.js';
import { encodeEntry } from './entry-codec.js';
import type { LedgerEntry } from './entry-types.js';
import { leafHash, toHex } from './hashing.js';
import { Log } from './log.js';
import { SIG_COSIGNATURE_V1, signerFromSeed, verifierOf } from './note-keys.js';
import { checkProofBundle, parseProofBundle } from './proof-bundle.js';
import { verifyConsistency, verifyInclusion } from './proof-verify.js';
import { MemoryLedgerStore } from './testing/memory-ledger-store.js';
import { sampleEntries } from './testing/sample-entries.js';
import { trustPolicy } from './witness-policy.js';

const signer = signerFromSeed('hetao.example/ledger', new Uint8Array(32).fill(3));
const verifier = verifierOf(signer);
const entries = sampleEntries(600);

async function filled(n: number) {
  const store = new MemoryLedgerStore();
  const log = await Log.open({ store, signer });
  await Promise.all(entries.slice(0, n).map((e) => log.append(e)));
  return { store, log };
}

describe('Log: durable group commit', () => {
  it('turns concurrent appends into batches, one checkpoint per batch, resolving only after commit', async () => {
    const store = new MemoryLedgerStore();
    const log = await Log.open({ store, signer, maxBatch: 100 });
    const committedSizes: number[] = [];
    let release: () => void = () => {};
    store.beforeCommit = async (b) => {
      committedSizes.push(b.fromSize + b.entries.length);
      if (b.fromSize === 0) await new Promise<void>((r) => (release = r));
    };
    const resolved: number[] = [];
    const first = entries.slice(0, 3).map((e) =>
      log.append(e).then((a) => {
        resolved.push(a.index);
        return a;
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    expect(resolved).toEqual([]); // the commit is in flight: nothing resolved yet
    const second = entries.slice(3, 253).map((e) => log.append(e)); // queued while the first commit is in flight
    release();
    const all = await Promise.all([...first, ...second]);
    expect(committedSizes).toEqual([3, 103, 203, 253]);
    expect(store.commits).toBe(4);
    expect(all.map((a) => a.index)).toEqual([...Array(253).keys()]);
    expect(all[0]?.size).toBe(3);
    expect(all[252]?.size).toBe(253);
    const { checkpoint } = openCheckpoint(all[200]?.checkpoint as string, [verifier]);
    expect(checkpoint.size).toBe(203);
    expect(log.size).toBe(253);
  });

  it('a store failure rejects every append of that batch, and the log carries on', async () => {
    const store = new MemoryLedgerStore();
    const log = await Log.open({ store, signer });
    await log.append(entries[0] as LedgerEntry);
    store.beforeCommit = async () => {
      throw new Error('disk full');
    };
    const failed = await Promise.allSettled(entries.slice(1, 6).map((e) => log.append(e)));
    expect(failed.every((r) => r.status === 'rejected')).toBe(true);
    const err = (failed[0] as PromiseRejectedResult).reason as HetaoError;
    expect(err.code).toBe('HETAO_LEDGER_COMMIT_FAILED');
    expect((err.cause as Error).message).toBe('disk full');
    expect(store.entries).toHaveLength(1);
    store.beforeCommit = undefined;
    expect((await log.append(entries[1] as LedgerEntry)).index).toBe(1);
  });

  it('rejects an invalid entry at once, without touching the batch', async () => {
    const { log } = await filled(0);
    await expect(log.append({ type: 'nope' } as unknown as LedgerEntry)).rejects.toMatchObject({
      code: 'HETAO_LEDGER_ENTRY_INVALID',
    });
  });

  it('reopens from the store and continues the same tree', async () => {
    const { store, log } = await filled(300);
    const cp300 = openCheckpoint(await log.checkpoint(), [verifier]).checkpoint;
    const again = await Log.open({ store, signer });
    expect(again.size).toBe(300);
    await again.append(entries[300] as LedgerEntry);
    const p = await again.consistencyProof(300, 301);
    const cp301 = openCheckpoint(await again.checkpoint(), [verifier]).checkpoint;
    expect(verifyConsistency(300, 301, cp300.rootHash, cp301.rootHash, p)).toBe(true);
  });
});

describe('Log: tiles and proofs', () => {
  it('serves tiles and entry bundles matching the tree', async () => {
    const { log, store } = await filled(600);
    const t0 = await log.tile('tile/0/000');
    expect(t0.length).toBe(256 * 32);
    expect(toHex(t0.subarray(32, 64))).toBe(toHex(leafHash(encodeEntry(entries[1] as LedgerEntry))));
    expect((await log.tile('tile/0/002.p/88')).length).toBe(88 * 32);
    expect(toHex(await log.tile('tile/1/000.p/2'))).toBe(
      toHex(Buffer.concat([store.levels[8]?.[0] as Uint8Array, store.levels[8]?.[1] as Uint8Array])),
    );
    const bundle = decodeEntryBundle(await log.tile('tile/entries/002.p/88'));
    expect(bundle).toHaveLength(88);
    await expect(log.tile('tile/0/002.p/89')).rejects.toMatchObject({ code: 'HETAO_LEDGER_NOT_FOUND' });
    await expect(log.tile('tile/0/002')).rejects.toMatchObject({ code: 'HETAO_LEDGER_NOT_FOUND' });
  });

  it('inclusion proofs verify against the checkpoint', async () => {
    const { log } = await filled(600);
    const { checkpoint } = openCheckpoint(await log.checkpoint(), [verifier]);
    for (const i of [0, 1, 255, 256, 599]) {
      const proof = await log.inclusionProof(i);
      const lh = leafHash(encodeEntry(entries[i] as LedgerEntry));
      expect(verifyInclusion(i, 600, lh, proof, checkpoint.rootHash)).toBe(true);
    }
    await expect(log.inclusionProof(600)).rejects.toMatchObject({ code: 'HETAO_LEDGER_NOT_FOUND' });
  });

  it('proof bundles (c2sp.org/tlog-proof) check offline and catch tampering', async () => {
    const { log } = await filled(100);
    const policy = trustPolicy(signer.verifierKey);
    const text = await log.prove(42);
    expect(text.startsWith('c2sp.org/tlog-proof@v1\nextra ')).toBe(true);
    expect(text).toContain('\nindex 42\n');
    const ok = checkProofBundle(text, policy);
    expect(ok.entry).toEqual(entries[42]);
    expect(ok.size).toBe(100);
    const b = parseProofBundle(text);
    const other = encodeEntry(entries[43] as LedgerEntry);
    expect(() => checkProofBundle(text, policy, other)).toThrow(
      expect.objectContaining({ code: 'HETAO_LEDGER_PROOF_INVALID' }),
    );
    expect(() => checkProofBundle(text.replace('index 42', 'index 41'), policy)).toThrow(
      expect.objectContaining({ code: 'HETAO_LEDGER_PROOF_INVALID' }),
    );
    expect(() => checkProofBundle(text.replace('c2sp.org/tlog-proof@v1', 'v2'), policy)).toThrow(
      expect.objectContaining({ code: 'HETAO_LEDGER_PROOF_MALFORMED' }),
    );
    const stranger = trustPolicy(signerFromSeed('hetao.example/ledger', new Uint8Array(32)).verifierKey);
    expect(() => checkProofBundle(text, stranger)).toThrow(
      expect.objectContaining({ code: 'HETAO_LEDGER_NOTE_UNVERIFIED' }),
    );
    const w = signerFromSeed('witness.sz', new Uint8Array(32).fill(9), SIG_COSIGNATURE_V1);
    expect(() => checkProofBundle(text, trustPolicy(signer.verifierKey, [w.verifierKey]))).toThrow(
      expect.objectContaining({ code: 'HETAO_LEDGER_POLICY_NOT_MET' }),
    );
    expect(b.proof.length).toBeGreaterThan(0);
  });
});
