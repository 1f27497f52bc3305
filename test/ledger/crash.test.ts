import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedWitnesses, openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { systemClock } from '../../src/core/index.js';
import {
  encodeEntry,
  openCheckpoint,
  parseVerifierKey,
  trustPolicy,
  verifyConsistency,
  verifyLog,
} from '../../src/ledger/index.js';
import { openStore } from '../../src/store/index.js';
import { runUntilKilled } from '../support/crash-child.js';
import { crashEntry } from './crash-entries.js';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'hetao-crash-'));
const db = join(home, 'hetao.db');
afterAll(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  acks: Map<number, number>;
  published: string[];
  signal: string | null;
}

/** Runs the child until it acknowledged `acks` entries and published at least twice, then kills it with SIGKILL. */
async function runAndKill(acks: number): Promise<Run> {
  const run: Run = { acks: new Map(), published: [], signal: null };
  await runUntilKilled(child, [db, home], (l, kill) => {
    const [kind, a, b] = l.split(' ');
    if (kind === 'ack') run.acks.set(Number(a), Number(b));
    else if (kind === 'pub') run.published.push(Buffer.from(a as string, 'base64').toString());
    if (run.acks.size >= acks && run.published.length >= 2) kill();
  });
  run.signal = 'SIGKILL';
  return run;
}

describe('ledger crash safety (kill -9 mid-append, SQLite)', () => {
  it('keeps every acknowledged entry and continues consistently with the last published checkpoint', async () => {
    const first = await runAndKill(2000);
    expect(first.signal).toBe('SIGKILL');
    const second = await runAndKill(first.acks.size + 1500); // crash a log that was reopened after a crash
    const acks = new Map([...first.acks, ...second.acks]);

    const store = openStore({ kind: 'sqlite', path: db });
    try {
      await store.migrate(systemClock.now());
      // Every acknowledged entry is stored at its index, byte for byte.
      for (const [index, k] of acks) {
        expect(index).toBe(k);
        const [bytes] = await store.ledger.readEntries(index, 1);
        expect(Buffer.from(bytes as Uint8Array).equals(Buffer.from(encodeEntry(crashEntry(k))))).toBe(true);
      }
      const witnesses = createEmbeddedWitnesses(home, { store, clock: systemClock });
      const ledger = await openLedgerRuntime({ store, home, clock: systemClock, witnesses });
      const last = second.published.at(-1) as string;
      const lastCp = openCheckpoint(last, [parseVerifierKey(ledger.verifierKey)]).checkpoint;
      expect(ledger.log.size).toBeGreaterThanOrEqual(Math.max(...acks.keys()) + 1);
      const start = ledger.log.size;
      await Promise.all(Array.from({ length: 100 }, (_, i) => ledger.record(crashEntry(start + i))));
      const next = (await ledger.witnessNow()) as string;
      const policy = trustPolicy(
        ledger.verifierKey,
        witnesses.map((w) => w.verifierKey),
      );
      const nextCp = openCheckpoint(next, [policy.log]).checkpoint;
      expect(nextCp.size).toBe(start + 100);
      // The witnesses cosigned it (they only do so over a consistency proof from what they hold) and a reader
      // holding the last checkpoint published before the crash can check the same.
      const proof = await ledger.log.consistencyProof(lastCp.size, nextCp.size);
      expect(verifyConsistency(lastCp.size, nextCp.size, lastCp.rootHash, nextCp.rootHash, proof)).toBe(true);
      const report = await verifyLog({ checkpoint: next, policy, fetch: (p) => ledger.log.tile(p) });
      expect(report).toMatchObject({ ok: true, size: start + 100 });
      await ledger.close();
    } finally {
      await store.close();
    }
  }, 60_000);
});
