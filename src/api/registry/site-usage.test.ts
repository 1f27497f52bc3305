import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteUsageTracker } from '../../exchange/site-usage.js';
import { jobRecord } from '../../scheduler/testing/job-record.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

const MIN = 60_000;
let h: Harness;
let now: number;
beforeAll(async () => {
  h = await createHarness();
  now = h.clock.now();
  const at = (minutesAgo: number) => now - minutesAgo * MIN;
  const add = (gpus: number, startedAt: number, endedAt: number | null) =>
    h.store.jobs.insertJob(
      jobRecord(h.orgA.id, {
        state: endedAt === null ? 'running' : 'succeeded',
        siteId: h.site.id,
        attempt: 1,
        startedAt,
        endedAt,
        gpus,
      }),
      [],
    );
  await add(2, at(90), at(30)); // ran an hour, ended half an hour ago
  await add(4, at(45), null); // still running
  await add(8, at(300), at(180)); // ended before the window
  await add(1, at(5), at(4));
});
afterAll(async () => h?.close());

describe('site usage history', () => {
  it('is read from the jobs that ran at the site: GPUs held over time, no sampling, the same after a restart', async () => {
    const res = await h.call('GET', `/sites/${h.site.id}/utilization?hours=2`, h.tokens['org-member']);
    expect(res.status).toBe(200);
    const items = res.body.items as { at: number; gpusBusy: number; gpusTotal: number }[];
    const busy = (minutesAgo: number) => items.find((s) => s.at === now - minutesAgo * MIN)?.gpusBusy;
    expect(items[0]?.at).toBe(now - 120 * MIN);
    expect(items.at(-1)?.at).toBe(now);
    expect(items).toHaveLength(121); // one a minute
    expect(items.every((s) => s.gpusTotal === 8)).toBe(true);
    expect([busy(120), busy(90), busy(60), busy(45), busy(31), busy(30), busy(5), busy(4), busy(0)]).toEqual([
      0, 2, 2, 6, 6, 4, 5, 4, 4,
    ]);
    // nothing is held in memory: a tracker made afresh over the same store (a restarted exchange) says the same
    const fresh = new SiteUsageTracker(h.store.registry, h.store.jobs);
    expect(await fresh.history(h.site.id, now - 120 * MIN, now)).toEqual(items);
  });

  it('keeps a week to at most 288 samples, ending now', async () => {
    const res = await h.call('GET', `/sites/${h.site.id}/utilization?hours=168`, h.tokens['org-member']);
    const items = res.body.items as { at: number }[];
    expect(items.length).toBeLessThanOrEqual(288);
    expect(items.length).toBeGreaterThan(250);
    expect(items.at(-1)?.at).toBe(now);
    const steps = new Set(items.slice(1, -1).map((s, i) => s.at - (items[i] as { at: number }).at));
    expect(steps.size).toBe(1);
  });
});
