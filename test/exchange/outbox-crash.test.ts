/**
 * A job change and the ledger entry that records it are committed together (the entry staged in the store's
 * outbox), so killing the exchange between the two commits loses no entry and duplicates none: on restart the
 * ledger appends what was staged. Real processes, SIGKILL, SQLite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { systemClock } from '../../src/core/index.js';
import { decodeEntry } from '../../src/ledger/index.js';
import { everyItem } from '../../src/registry/index.js';
import { openStore } from '../../src/store/index.js';
import { runUntilKilled } from '../support/crash-child.js';

const child = fileURLToPath(new URL('./outbox-crash-child.ts', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'hetao-outbox-crash-'));
const db = join(home, 'hetao.db');
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Runs the child until it kills itself after its `n`-th job commit; resolves with the jobs it acknowledged. */
async function runUntilCrash(n: number): Promise<string[]> {
  const seen: string[] = [];
  await runUntilKilled(child, [db, home, String(n)], (l) => {
    if (l.startsWith('ack ')) seen.push(l.slice(4));
  });
  return seen;
}

it('logs every committed job exactly once across kill -9 and restart', async () => {
  const first = await runUntilCrash(300);
  const second = await runUntilCrash(300); // it first appends what the first run left staged
  const store = openStore({ kind: 'sqlite', path: db });
  try {
    await store.migrate(systemClock.now());
    const ledger = await openLedgerRuntime({ store, home, clock: systemClock });
    expect(await store.ledger.readOutbox(1)).toEqual([]); // opening appended whatever was staged
    const submitted = new Map<string, number>();
    for (const bytes of await store.ledger.readEntries(0, ledger.log.size)) {
      const e = decodeEntry(bytes) as unknown as { type: string; jobId?: string; to?: string };
      if (e.type === 'job-state-change' && e.to === 'queued' && e.jobId)
        submitted.set(e.jobId, (submitted.get(e.jobId) ?? 0) + 1);
    }
    const jobs = await everyItem((p) => store.jobs.listJobs({}, p));
    // Jobs were committed that were never acknowledged: the kill came between the two commits.
    expect(jobs.length).toBe(600);
    expect(first.length + second.length).toBeLessThan(600);
    for (const id of [...first, ...second]) expect(jobs.some((j) => j.id === id)).toBe(true);
    const counts = jobs.map((j) => submitted.get(j.id) ?? 0);
    expect(counts.filter((c) => c !== 1)).toEqual([]);
    expect(submitted.size).toBe(jobs.length);
    await ledger.close();
  } finally {
    await store.close();
  }
}, 120_000);
