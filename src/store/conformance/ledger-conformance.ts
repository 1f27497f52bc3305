import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../../core/index.js';
import {
  decodeEntry,
  encodeEntry,
  type LedgerEntry,
  Log,
  leafHash,
  type OutboxRow,
  openCheckpoint,
  rangeNodes,
  signerFromSeed,
  verifierOf,
  verifyConsistency,
  verifyInclusion,
} from '../../ledger/index.js';
import { MemoryLedgerStore } from '../../ledger/testing/memory-ledger-store.js';
import { sampleEntries } from '../../ledger/testing/sample-entries.js';
import type { FlowRecord } from '../../registry/index.js';
import { dataset, dataType, org, site } from '../../registry/testing/factories.js';
import { parseJobSpec } from '../../scheduler/job-spec.js';
import { newJob } from '../../scheduler/job-store.js';
import { MIGRATIONS, migrate } from '../migrations/index.js';
import { openStore, type Store } from '../open-store.js';
import { freshStorePerTest } from '../testing/fresh-store.js';
import type { TestTarget } from '../testing/targets.js';

const T = Date.UTC(2026, 0, 1);
const signer = signerFromSeed('hetao.test/ledger', new Uint8Array(32).fill(7));
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: HetaoError) => e.code ?? String(e),
  );
const entryAt = (base: readonly LedgerEntry[], i: number) => ({ ...base[i % base.length], at: T + i }) as LedgerEntry;

async function fill(log: Log, from: number, n: number, wave = 500): Promise<void> {
  const base = sampleEntries(70);
  for (let i = from; i < from + n; i += wave)
    await Promise.all(Array.from({ length: Math.min(wave, from + n - i) }, (_, j) => log.append(entryAt(base, i + j))));
}

/** The ledger ports' contract (LedgerStore, PublishedCheckpointStore, WitnessStateStore) on one database. */
export function ledgerConformance(target: TestTarget): void {
  describe('ledger', () => {
    const fx = freshStorePerTest(target, T);

    it('commits batches a Log makes and reads back what the reference store holds', async () => {
      const log = await Log.open({ store: fx.store.ledger, signer, maxBatch: 300 });
      const memory = new MemoryLedgerStore();
      const ref = await Log.open({ store: memory, signer, maxBatch: 300 });
      await fill(log, 0, 1000);
      await fill(ref, 0, 1000);
      const s = fx.store.ledger;
      expect(await s.readEntries(0, 1000)).toEqual(memory.entries.map((e) => Buffer.from(e)));
      expect(await s.readEntries(997, 3)).toEqual(memory.entries.slice(997).map((e) => Buffer.from(e)));
      for (const level of [0, 1, 3, 8, 9]) {
        const n = memory.levels[level]?.length ?? 0;
        expect((await s.readHashes(level, 0, n)).map((h) => Buffer.from(h))).toEqual(
          (memory.levels[level] ?? []).map((h) => Buffer.from(h)),
        );
      }
      const nodes = rangeNodes(0, 1000);
      expect((await s.readNodes(nodes)).map((h) => Buffer.from(h))).toEqual(
        (await memory.readNodes(nodes)).map((h) => Buffer.from(h)),
      );
      expect(await code(s.readEntries(999, 2))).toBe('HETAO_LEDGER_NOT_FOUND');
      expect(await code(s.readHashes(0, 1000, 1))).toBe('HETAO_LEDGER_NOT_FOUND');
      expect(await code(s.readNodes([{ level: 10, index: 0 }]))).toBe('HETAO_LEDGER_NOT_FOUND');
      expect(await s.readEntries(5, 0)).toEqual([]);
      // The checkpoint text may differ only by nothing: same key, same tree, deterministic Ed25519.
      expect(await s.latestCheckpoint()).toBe(await memory.latestCheckpoint());
      const proof = await log.inclusionProof(123, 1000);
      const { checkpoint } = openCheckpoint((await s.latestCheckpoint()) as string, [verifierOf(signer)]);
      const [e123] = await s.readEntries(123, 1);
      expect(verifyInclusion(123, 1000, leafHash(e123 as Uint8Array), proof, checkpoint.rootHash)).toBe(true);
    });

    it('commits one batch larger than a multi-row INSERT chunk', async () => {
      const log = await Log.open({ store: fx.store.ledger, signer, maxBatch: 10_000 });
      await fill(log, 0, 9000, 9000);
      expect((await fx.store.ledger.readEntries(0, 9000)).length).toBe(9000);
      expect(log.size).toBe(9000);
    });

    it('refuses a batch whose fromSize is not the stored size, writing nothing', async () => {
      const log = await Log.open({ store: fx.store.ledger, signer });
      await fill(log, 0, 10);
      const before = await fx.store.ledger.latestCheckpoint();
      const bad = { fromSize: 5, entries: [new Uint8Array([1])], hashes: [], checkpoint: 'x\n' };
      expect(await code(fx.store.ledger.appendBatch(bad))).toBe('HETAO_LEDGER_STORE_CONFLICT');
      expect(await code(fx.store.ledger.appendBatch({ ...bad, fromSize: 11 }))).toBe('HETAO_LEDGER_STORE_CONFLICT');
      expect(await fx.store.ledger.latestCheckpoint()).toBe(before);
      expect(await code(fx.store.ledger.readEntries(10, 1))).toBe('HETAO_LEDGER_NOT_FOUND');
    });

    it("stages entries with a job change, appends each exactly once, and refuses a batch taking a row that's gone", async () => {
      const s = fx.store;
      await s.registry.insertOrganization(org({ id: 'org_OUTBOX', createdAt: T, updatedAt: T }));
      const spec = parseJobSpec({ name: 'staged', run: 'true' });
      const job = newJob({
        id: 'job_OUTBOX',
        orgId: 'org_OUTBOX',
        submittedBy: 'acct_X',
        spec,
        at: T,
        waitingReason: null,
      });
      const [a, b, c] = sampleEntries(3).map((e) => encodeEntry(e)) as [Uint8Array, Uint8Array, Uint8Array];
      await s.jobs.insertJob(job, [], [a, b]);
      // A change that fails stages nothing.
      expect(await code(s.jobs.saveJob({ ...job, version: 3 }, 2, [], undefined, [c]))).toBe('HETAO_STORE_CONFLICT');
      const staged = await s.ledger.readOutbox(10);
      expect(staged.map((r) => Buffer.from(r.bytes))).toEqual([Buffer.from(a), Buffer.from(b)]);
      expect((staged[0] as { id: number }).id).toBeLessThan((staged[1] as { id: number }).id);

      const log = await Log.open({ store: s.ledger, signer });
      const appended = await Promise.all(staged.map((r) => log.appendStaged(r)));
      expect(appended.map((x) => x.index)).toEqual([0, 1]);
      expect(await s.ledger.readOutbox(10)).toEqual([]);
      expect((await s.ledger.readEntries(0, 2)).map((e) => Buffer.from(e))).toEqual([Buffer.from(a), Buffer.from(b)]);
      // The same rows again (a second drainer that read them before the first committed): refused, nothing written.
      expect(await code(log.appendStaged(staged[0] as OutboxRow))).toBe('HETAO_LEDGER_COMMIT_FAILED');
      const reopened = await Log.open({ store: s.ledger, signer });
      expect(reopened.size).toBe(2);
    });

    it('sets a staged row aside with its reason, atomically, leaving the rows after it', async () => {
      const s = fx.store;
      await s.registry.insertOrganization(org({ id: 'org_REJECT', createdAt: T, updatedAt: T }));
      const [good] = sampleEntries(1).map((e) => encodeEntry(e)) as [Uint8Array];
      const garbage = new TextEncoder().encode('{"type":"gossip"}');
      const job = newJob({
        id: 'job_REJECT',
        orgId: 'org_REJECT',
        submittedBy: 'acct_X',
        spec: parseJobSpec({ name: 'r', run: 'true' }),
        at: T,
        waitingReason: null,
      });
      await s.jobs.insertJob(job, [], [garbage, good]);
      const [bad, next] = (await s.ledger.readOutbox(10)) as [OutboxRow, OutboxRow];
      expect(await s.ledger.countRejectedOutbox()).toBe(0);
      await s.ledger.rejectOutbox(bad.id, 'HETAO_LEDGER_ENTRY_INVALID: unknown type', T + 1);
      await s.ledger.rejectOutbox(bad.id, 'again', T + 2); // gone already: nothing changes
      expect((await s.ledger.readOutbox(10)).map((r) => r.id)).toEqual([next.id]);
      expect(await s.ledger.countRejectedOutbox()).toBe(1);
      const kept = await s.db.selectFrom('ledger_outbox_rejected').selectAll().execute();
      expect(kept.map((r) => [Number(r.id), r.entry, r.reason, Number(r.rejected_at)])).toEqual([
        [bad.id, '{"type":"gossip"}', 'HETAO_LEDGER_ENTRY_INVALID: unknown type', T + 1],
      ]);
    });

    it("records a staged entry's index under its ref in the commit that appends it: a flow's ledgerIndex", async () => {
      const s = fx.store;
      const a = await s.registry.insertOrganization(org({ id: 'org_FLOWREF', createdAt: T, updatedAt: T }));
      const b = await s.registry.insertOrganization(org({ id: 'org_FLOWREF_HK', jurisdiction: 'HK' }));
      const st = await s.registry.insertSite(site(a.id));
      const t = await s.registry.insertDataType(dataType());
      const ds = await s.registry.insertDataset(dataset(a.id, st.id, t.name));
      const log = await Log.open({ store: s.ledger, signer });
      const [first, second, third] = sampleEntries(3).map((e) => encodeEntry(e)) as [
        Uint8Array,
        Uint8Array,
        Uint8Array,
      ];
      await log.append(decodeEntry(first));
      const flow: FlowRecord = {
        id: 'flow_REF',
        requesterOrgId: a.id,
        exporterOrgId: a.id,
        importerOrgId: b.id,
        datasetId: ds.id,
        scenarioId: null,
        purpose: 'training',
        outcome: 'allow',
        permitted: true,
        decision: { decision: 'allow' },
        ledgerIndex: null,
        at: T,
      } as unknown as FlowRecord;
      await s.registry.recordFlow(flow, null, second);
      await s.jobs.insertJob(
        newJob({
          id: 'job_REF',
          orgId: a.id,
          submittedBy: 'acct_X',
          spec: parseJobSpec({ name: 'r', run: 'true' }),
          at: T,
          waitingReason: null,
        }),
        [],
        [third],
      );
      expect((await s.registry.getFlow(flow.id))?.ledgerIndex).toBeNull();
      const staged = await s.ledger.readOutbox(10);
      const appended = await Promise.all(staged.map((r) => log.appendStaged(r)));
      expect(appended.map((x) => x.index)).toEqual([1, 2]);
      expect((await s.registry.getFlow(flow.id))?.ledgerIndex).toBe(1);
      expect((await s.registry.listFlows({ orgId: b.id })).items.map((f) => f.ledgerIndex)).toEqual([1]);
      expect(Buffer.from((await s.ledger.readEntries(1, 1))[0] as Uint8Array)).toEqual(Buffer.from(second));
    });

    it('lets exactly one of two writers on separate connections commit at one size', async () => {
      const other = openStore(fx.target);
      try {
        const batch = (b: number) => ({
          fromSize: 0,
          entries: [new Uint8Array([b])],
          hashes: [{ level: 0, index: 0, hash: leafHash(new Uint8Array([b])) }],
          checkpoint: `c${b}\n`,
        });
        // PostgreSQL: truly concurrent. SQLite in one process: one after the other, because better-sqlite3 waits
        // for a lock synchronously (blocking the event loop that would release it); across processes it waits.
        const first = code(fx.store.ledger.appendBatch(batch(1)));
        if (target.name === 'sqlite') await first;
        const results = await Promise.all([first, code(other.ledger.appendBatch(batch(2)))]);
        expect(results.sort()).toEqual(['HETAO_LEDGER_STORE_CONFLICT', 'resolved']);
        const [only] = await fx.store.ledger.readEntries(0, 1);
        expect(await fx.store.ledger.latestCheckpoint()).toBe(`c${(only as Uint8Array)[0]}\n`);
      } finally {
        await other.close();
      }
    });

    it('replaces the checkpoint only at the stored size (compare-and-set)', async () => {
      const log = await Log.open({ store: fx.store.ledger, signer });
      await fill(log, 0, 3);
      expect(await fx.store.ledger.replaceCheckpoint(2, 'stale\n')).toBe(false);
      expect(await fx.store.ledger.replaceCheckpoint(3, 'cosigned\n')).toBe(true);
      expect(await fx.store.ledger.latestCheckpoint()).toBe('cosigned\n');
    });

    it('keeps the published checkpoint monotonic', async () => {
      expect(await fx.store.ledger.latestPublished()).toBeUndefined();
      await fx.store.ledger.savePublished(5, 'five\n');
      await fx.store.ledger.savePublished(3, 'three\n');
      expect(await fx.store.ledger.latestPublished()).toBe('five\n');
      await fx.store.ledger.savePublished(8, 'eight\n');
      expect(await fx.store.ledger.latestPublished()).toBe('eight\n');
    });

    it('reopens after close: the same root, then appends continue consistently', async () => {
      const log = await Log.open({ store: fx.store.ledger, signer });
      await fill(log, 0, 777);
      const first = openCheckpoint(await log.checkpoint(), [verifierOf(signer)]).checkpoint;
      await fx.reopen();
      const again = await Log.open({ store: fx.store.ledger, signer });
      expect(again.size).toBe(777);
      expect(openCheckpoint(await again.checkpoint(), [verifierOf(signer)]).checkpoint.rootHash).toEqual(
        first.rootHash,
      );
      await fill(again, 777, 300);
      const next = openCheckpoint(await again.checkpoint(), [verifierOf(signer)]).checkpoint;
      expect(next.size).toBe(1077);
      const proof = await again.consistencyProof(777, 1077);
      expect(verifyConsistency(777, 1077, first.rootHash, next.rootHash, proof)).toBe(true);
    });

    it('keeps partial bundles and tile rows across many small batches; reads across row boundaries', async () => {
      const log = await Log.open({ store: fx.store.ledger, signer, maxBatch: 37 });
      const memory = new MemoryLedgerStore();
      const ref = await Log.open({ store: memory, signer, maxBatch: 37 });
      await fill(log, 0, 700, 100);
      await fill(ref, 0, 700, 100);
      // Appends that end exactly on a bundle boundary, then one more.
      await fill(log, 700, 68, 68);
      await fill(ref, 700, 68, 68);
      await fill(log, 768, 1, 1);
      await fill(ref, 768, 1, 1);
      await expectSame(fx.store, memory, 769);
    });

    it('continues after another writer moved the ledger on (its cached partial rows are stale)', async () => {
      const memory = new MemoryLedgerStore();
      const ref = await Log.open({ store: memory, signer, maxBatch: 50 });
      const a = await Log.open({ store: fx.store.ledger, signer, maxBatch: 50 });
      await fill(a, 0, 300);
      const other = openStore(fx.target);
      try {
        const b = await Log.open({ store: other.ledger, signer, maxBatch: 50 });
        await fill(b, 300, 100);
        // a still believes the ledger holds 300: its next batch conflicts, then it reloads and carries on.
        expect(await code(a.append(entryAt(sampleEntries(70), 300)))).toBe('HETAO_LEDGER_COMMIT_FAILED');
        await fill(a, 400, 200);
      } finally {
        await other.close();
      }
      await fill(ref, 0, 600);
      await expectSame(fx.store, memory, 600);
    });

    it('migrates a ledger stored one row per entry and per hash (schema 4) into bundle and tile rows', async () => {
      const fresh = await target.fresh();
      const old = openStore(fresh.target);
      try {
        const db = old.db as unknown as Kysely<unknown>;
        await migrate(db, old.dialect, T, MIGRATIONS.slice(0, 4));
        const memory = new MemoryLedgerStore();
        const ref = await Log.open({ store: memory, signer, maxBatch: 100 });
        await fill(ref, 0, 600);
        for (const [i, e] of memory.entries.entries())
          await sql`INSERT INTO ledger_entries (idx, bytes) VALUES (${i}, ${Buffer.from(e)})`.execute(db);
        for (const [level, hashes] of memory.levels.entries())
          for (const [i, h] of hashes.entries())
            await sql`INSERT INTO ledger_hashes (level, idx, hash) VALUES (${level}, ${i}, ${Buffer.from(h)})`.execute(
              db,
            );
        await sql`UPDATE ledger_head SET size = 600, checkpoint = ${memory.checkpoint} WHERE id = 1`.execute(db);
        expect((await old.migrate(T)).applied).toEqual(MIGRATIONS.slice(4).map((m) => `${m.version}-${m.name}`));
        const log = await Log.open({ store: old.ledger, signer, maxBatch: 100 });
        expect(log.size).toBe(600);
        await fill(log, 600, 250);
        await fill(ref, 600, 250);
        await expectSame(old, memory, 850);
      } finally {
        await old.close();
        await fresh.cleanup();
      }
    });

    it('swaps witness state atomically, per witness', async () => {
      const a = fx.store.witnessState('sz');
      const b = fx.store.witnessState('hk');
      const s1 = { size: 1, rootHash: new Uint8Array(32).fill(1) };
      const s2 = { size: 2, rootHash: new Uint8Array(32).fill(2) };
      expect(await a.get('log')).toBeUndefined();
      expect(await a.compareAndSwap('log', undefined, s1)).toBe(true);
      expect(await a.compareAndSwap('log', undefined, s2)).toBe(false);
      expect(await a.compareAndSwap('log', { size: 1, rootHash: new Uint8Array(32) }, s2)).toBe(false);
      expect(await a.compareAndSwap('log', s1, s2)).toBe(true);
      expect(await a.get('log')).toEqual({ size: 2, rootHash: Buffer.from(s2.rootHash) });
      expect(await b.get('log')).toBeUndefined();
      // Racing swaps from one state on two connections: exactly one wins.
      const other = openStore(fx.target);
      try {
        const s3 = { size: 3, rootHash: new Uint8Array(32).fill(3) };
        const s4 = { size: 4, rootHash: new Uint8Array(32).fill(4) };
        const wins = await Promise.all([
          a.compareAndSwap('log', s2, s3),
          other.witnessState('sz').compareAndSwap('log', s2, s4),
        ]);
        expect(wins.filter(Boolean)).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });
}

/** The SQL store holds exactly what the reference store holds: entries, every level's hashes, checkpoint. */
async function expectSame(store: Store, memory: MemoryLedgerStore, size: number): Promise<void> {
  const s = store.ledger;
  const buf = (xs: readonly Uint8Array[]) => xs.map((x) => Buffer.from(x));
  expect(memory.entries.length).toBe(size);
  expect(buf(await s.readEntries(0, size))).toEqual(buf(memory.entries));
  for (const [from, count] of [
    [255, 2],
    [250, 300],
    [511, 1],
    [512, 256],
    [size - 1, 1],
    [size - 30, 30],
  ] as const)
    if (from + count <= size)
      expect(buf(await s.readEntries(from, count))).toEqual(buf(memory.entries.slice(from, from + count)));
  expect(await code(s.readEntries(size - 2, 3))).toBe('HETAO_LEDGER_NOT_FOUND');
  memory.levels.forEach((hashes, level) => {
    expect(hashes.length).toBe(Math.floor(size / 2 ** level));
  });
  for (const [level, hashes] of memory.levels.entries()) {
    expect(buf(await s.readHashes(level, 0, hashes.length))).toEqual(buf(hashes));
    if (hashes.length > 3)
      expect(buf(await s.readHashes(level, 1, hashes.length - 2))).toEqual(buf(hashes.slice(1, -1)));
    expect(await code(s.readHashes(level, hashes.length, 1))).toBe('HETAO_LEDGER_NOT_FOUND');
    const nodes = hashes.map((_, index) => ({ level, index })).reverse();
    expect(buf(await s.readNodes(nodes))).toEqual(buf(await memory.readNodes(nodes)));
  }
  const nodes = rangeNodes(0, size);
  expect(buf(await s.readNodes(nodes))).toEqual(buf(await memory.readNodes(nodes)));
  expect(await s.latestCheckpoint()).toBe(await memory.latestCheckpoint());
}
