/**
 * Ledger benchmarks: group-commit appends (memory reference, and the durable SQL adapters: SQLite with WAL +
 * synchronous=FULL, PostgreSQL), inclusion-proof latency and full verification at 10^6 entries.
 * Targets: >= 100,000 appends/s; proof p99 <= 200 µs; verify 10^6 entries <= 10 s.
 * PostgreSQL: HETAO_TEST_DATABASE_URL (default the local test database), in a fresh schema dropped afterwards.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type LedgerEntry,
  type LedgerStore,
  Log,
  signerFromSeed,
  trustPolicy,
  verifyLog,
} from '../src/ledger/index.js';
import { MemoryLedgerStore } from '../src/ledger/testing/memory-ledger-store.js';
import { sampleEntries } from '../src/ledger/testing/sample-entries.js';
import { openStore, type Store, type StoreTarget } from '../src/store/index.js';
import { postgresTarget } from '../src/store/testing/targets.js';
import type { Emit } from './run.js';

const signer = signerFromSeed('hetao.example/ledger', new Uint8Array(32).fill(1));

async function fill(log: Log, entries: readonly LedgerEntry[], wave: number): Promise<void> {
  // Waves of concurrent appends, as many request handlers would issue them.
  for (let i = 0; i < entries.length; i += wave)
    await Promise.all(entries.slice(i, i + wave).map((e) => log.append(e)));
}

/** A fresh, migrated SQL store, or the reason PostgreSQL is unreachable. */
async function freshStore(kind: 'sqlite' | 'postgres'): Promise<{ store: Store; cleanup(): Promise<void> } | string> {
  let target: StoreTarget;
  let drop: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hetao-bench-'));
    target = { kind: 'sqlite', path: join(dir, 'hetao.db') };
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const pg = await postgresTarget();
    if (pg.unavailable) return pg.unavailable;
    const fresh = await pg.fresh();
    target = fresh.target;
    drop = fresh.cleanup;
  }
  const store = openStore(target);
  await store.migrate(Date.now());
  return {
    store,
    cleanup: async () => {
      await store.close();
      await drop();
    },
  };
}

async function appendBench(
  emit: Emit,
  name: string,
  store: LedgerStore,
  n: number,
  entryAt: (i: number) => LedgerEntry,
): Promise<Log> {
  const entries = Array.from({ length: n }, (_, i) => entryAt(i));
  let batches = 0;
  const counting: LedgerStore = {
    appendBatch: (b) => {
      batches++;
      return store.appendBatch(b);
    },
    latestCheckpoint: () => store.latestCheckpoint(),
    replaceCheckpoint: (s, t) => store.replaceCheckpoint(s, t),
    readEntries: (f, c) => store.readEntries(f, c),
    readHashes: (l, f, c) => store.readHashes(l, f, c),
    readNodes: (nodes) => store.readNodes(nodes),
  };
  const counted = await Log.open({ store: counting, signer });
  const t0 = performance.now();
  await fill(counted, entries, 10_000);
  const s = (performance.now() - t0) / 1000;
  emit({
    bench: 'ledger.append',
    store: name,
    durable: name !== 'memory',
    entries: n,
    inFlight: 10_000,
    batches,
    appendsPerSec: Math.round(n / s),
    seconds: +s.toFixed(3),
  });
  return counted;
}

async function proofBench(emit: Emit, store: string, log: Log, size: number, extra: Record<string, unknown>) {
  const samples: number[] = [];
  let x = 12_345;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const index = x % size;
    const t = performance.now();
    await log.inclusionProof(index, size);
    samples.push((performance.now() - t) * 1000);
  }
  samples.splice(0, 2_000); // warm-up
  samples.sort((a, b) => a - b);
  emit({
    bench: 'ledger.proof',
    store,
    size,
    proofs: samples.length,
    p50Micros: +percentile(samples, 50).toFixed(1),
    p99Micros: +percentile(samples, 99).toFixed(1),
    ...extra,
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export default async function ledgerBench(emit: Emit): Promise<void> {
  const N = 1_000_000;
  const base = sampleEntries(6_000);
  const entryAt = (i: number) => ({ ...base[i % base.length], at: 1_767_225_600_000 + i }) as LedgerEntry;

  // ledger.append: 10k appends in flight at a time; memory is the reference, SQL stores commit durably.
  await appendBench(emit, 'memory', new MemoryLedgerStore(), 200_000, entryAt);
  for (const kind of ['sqlite', 'postgres'] as const) {
    const fresh = await freshStore(kind);
    if (typeof fresh === 'string') {
      emit({ bench: 'ledger.append', store: kind, skipped: fresh });
      continue;
    }
    try {
      await appendBench(emit, kind, fresh.store.ledger, 200_000, entryAt);
    } finally {
      await fresh.cleanup();
    }
  }

  // Build the 10^6-entry log once for proofs and verification.
  const store = new MemoryLedgerStore();
  const log = await Log.open({ store, signer });
  const tb = performance.now();
  for (let i = 0; i < N; i += 50_000)
    await fill(
      log,
      Array.from({ length: 50_000 }, (_, j) => entryAt(i + j)),
      50_000,
    );
  const buildSeconds = (performance.now() - tb) / 1000;

  // ledger.proof: inclusion proofs of random entries at size 10^6, from memory and from a durable SQLite log.
  await proofBench(emit, 'memory', log, N, {});
  {
    const fresh = await freshStore('sqlite');
    if (typeof fresh === 'string') throw new Error(fresh);
    try {
      const sqliteLog = await Log.open({ store: fresh.store.ledger, signer });
      const t0 = performance.now();
      for (let i = 0; i < N; i += 50_000)
        await fill(
          sqliteLog,
          Array.from({ length: 50_000 }, (_, j) => entryAt(i + j)),
          10_000,
        );
      await proofBench(emit, 'sqlite', sqliteLog, N, { buildSeconds: +((performance.now() - t0) / 1000).toFixed(3) });
    } finally {
      await fresh.cleanup();
    }
  }

  // ledger.verify: full verification of the 10^6-entry log via its tiles.
  {
    const checkpoint = await log.checkpoint();
    const t0 = performance.now();
    const report = await verifyLog({ checkpoint, policy: trustPolicy(signer.verifierKey), fetch: (p) => log.tile(p) });
    const s = (performance.now() - t0) / 1000;
    if (!report.ok) throw new Error(`verification failed: ${report.reason}`);
    emit({
      bench: 'ledger.verify',
      size: N,
      seconds: +s.toFixed(3),
      entriesPerSec: Math.round(N / s),
      buildSeconds: +buildSeconds.toFixed(3),
    });
  }
}
