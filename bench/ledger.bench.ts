/**
 * Ledger benchmarks: group-commit appends (in-memory store), inclusion-proof latency and full verification at
 * 10^6 entries. Targets: >= 100,000 appends/s; proof p99 <= 200 µs; verify 10^6 entries <= 10 s.
 */

import { type LedgerEntry, Log, signerFromSeed, trustPolicy, verifyLog } from '../src/ledger/index.js';
import { MemoryLedgerStore } from '../src/ledger/testing/memory-ledger-store.js';
import { sampleEntries } from '../src/ledger/testing/sample-entries.js';
import type { Emit } from './run.js';

const signer = signerFromSeed('hetao.example/ledger', new Uint8Array(32).fill(1));

async function fill(log: Log, entries: readonly LedgerEntry[], wave: number): Promise<void> {
  // Waves of concurrent appends, as many request handlers would issue them.
  for (let i = 0; i < entries.length; i += wave)
    await Promise.all(entries.slice(i, i + wave).map((e) => log.append(e)));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export default async function ledgerBench(emit: Emit): Promise<void> {
  const N = 1_000_000;
  const base = sampleEntries(6_000);
  const entryAt = (i: number) => ({ ...base[i % base.length], at: 1_767_225_600_000 + i }) as LedgerEntry;

  // ledger.append: 200k appends, 10k in flight at a time.
  {
    const store = new MemoryLedgerStore();
    const log = await Log.open({ store, signer });
    const n = 200_000;
    const entries = Array.from({ length: n }, (_, i) => entryAt(i));
    const t0 = performance.now();
    await fill(log, entries, 10_000);
    const s = (performance.now() - t0) / 1000;
    emit({
      bench: 'ledger.append',
      store: 'memory',
      entries: n,
      inFlight: 10_000,
      batches: store.commits,
      appendsPerSec: Math.round(n / s),
      seconds: +s.toFixed(3),
    });
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

  // ledger.proof: inclusion proofs of random entries at size 10^6.
  {
    const samples: number[] = [];
    let x = 12_345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      const index = x % N;
      const t = performance.now();
      await log.inclusionProof(index, N);
      samples.push((performance.now() - t) * 1000);
    }
    samples.splice(0, 2_000); // warm-up
    samples.sort((a, b) => a - b);
    emit({
      bench: 'ledger.proof',
      store: 'memory',
      size: N,
      proofs: samples.length,
      p50Micros: +percentile(samples, 50).toFixed(1),
      p99Micros: +percentile(samples, 99).toFixed(1),
    });
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
