import { afterAll, beforeAll, expect, it } from 'vitest';
import { JobCoordinator } from '../../exchange/index.js';
import { parseJobSpec } from '../../scheduler/job-spec.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

it('a change committed while the log cannot append is not reported as failed; its entry goes in at the next pass', async () => {
  const down = new JobCoordinator({ ...h.deps.coordinator.deps, flushLedger: () => Promise.reject(new Error('down')) });
  const actor = {
    accountId: 'acct_X',
    name: 'member',
    orgId: h.orgA.id,
    role: 'org-member',
    side: null,
    siteId: null,
  } as const;
  const before = (await h.ledgerEntries()).length;
  const job = await down.submit(actor, parseJobSpec({ name: 'while-down', run: 'true' }));
  expect((await h.store.jobs.getJob(job.id))?.state).toBe('queued');
  expect(await h.ledgerEntries()).toHaveLength(before);
  expect(await h.store.ledger.readOutbox(10)).toHaveLength(1);

  await h.deps.coordinator.tick(); // a pass with the log back: the staged entry first, then the placement's
  const added = (await h.ledgerEntries()).slice(before) as unknown as { type: string; jobId: string; to?: string }[];
  expect(added.map((e) => [e.type, e.jobId, e.to])).toEqual([
    ['job-state-change', job.id, 'queued'],
    ['job-placement', job.id, undefined],
  ]);
  expect(await h.store.ledger.readOutbox(10)).toEqual([]);
});
