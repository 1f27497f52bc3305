import { describe, expect, it } from 'vitest';
import { FairShareSource } from '../../src/exchange/fair-share-source.js';
import { org, site } from '../../src/registry/testing/factories.js';
import { fairShareLog2 } from '../../src/scheduler/fair-share.js';
import { jobRecord } from '../../src/scheduler/testing/job-record.js';
import { freshStorePerTest } from '../../src/store/testing/fresh-store.js';
import { sqliteTarget } from '../../src/store/testing/targets.js';

const T0 = Date.UTC(2026, 10, 29);
const HOUR = 3600_000;
const fx = freshStorePerTest(sqliteTarget, T0);

describe('FairShareSource', () => {
  it('is null while no organization has a share', async () => {
    const { registry, jobs } = fx.store;
    await registry.insertOrganization(org());
    expect(await new FairShareSource(registry, jobs).current(T0)).toBeNull();
  });

  it('takes shares from the registry at every pass and usage from finished runs, decayed from their end', async () => {
    const { registry, jobs } = fx.store;
    const a = await registry.insertOrganization(org({ gpuShare: 0.6 }));
    const b = await registry.insertOrganization(org({ gpuShare: 0.4 }));
    const c = await registry.insertOrganization(org());
    const s = await registry.insertSite(site(a.id));
    const run = (orgId: string, gpus: number, startedAt: number, endedAt: number | null, priorRunMs = 0) =>
      jobs.insertJob(jobRecord(orgId, { siteId: s.id, gpus, startedAt, endedAt, state: 'succeeded', priorRunMs }), []);
    await run(a.id, 4, T0 - 3 * HOUR, T0 - 2 * HOUR); // one half-life ago: half its 4 GPU-hours
    await run(b.id, 1, T0 - HOUR, T0, HOUR / 2); // just ended: all of it, with half an hour in a preempted run
    await run(c.id, 2, T0 - 30 * HOUR, T0 - 25 * HOUR); // past the 8-half-life horizon (16 h): not read
    await run(b.id, 8, T0 - HOUR, null); // still running: counted when it ends
    // cancelled while queued after half an hour in a preempted run: that half hour counts
    await jobs.insertJob(
      jobRecord(a.id, { gpus: 2, state: 'cancelled', startedAt: null, endedAt: T0, priorRunMs: HOUR / 4 }),
      [],
    );
    const src = new FairShareSource(registry, jobs, { halfLifeMs: 2 * HOUR, usageRefreshMs: 60_000 });
    const fs = await src.current(T0);
    expect(fs?.quotas).toEqual(
      new Map([
        [a.id, 0.6],
        [b.id, 0.4],
      ]),
    );
    expect(fs?.usage.get(a.id)).toBeCloseTo(2 * HOUR + 2 * (HOUR / 4), 3);
    expect(fs?.usage.get(b.id)).toBeCloseTo(1.5 * HOUR, 3);
    expect(fs?.usage.has(c.id)).toBe(false);
    // a used 2.5 of the 4 decayed GPU-hours against a 0.6 share; b 1.5 against 0.4
    expect(fairShareLog2(fs, a.id)).toBeCloseTo((2.5 / 4 - 0.6) / 0.6, 6);
    expect(fairShareLog2(fs, b.id)).toBeCloseTo((1.5 / 4 - 0.4) / 0.4, 6);

    // Within the refresh period usage is not read again; shares are.
    await run(c.id, 8, T0 - HOUR, T0);
    await registry.updateOrganization(b.id, 1, { gpuShare: 0.3 }, T0);
    const soon = await src.current(T0 + 30_000);
    expect(soon?.quotas.get(b.id)).toBe(0.3);
    expect(soon?.usage.has(c.id)).toBe(false);
    const later = await src.current(T0 + 60_000);
    expect(later?.usage.get(c.id)).toBeCloseTo(8 * HOUR * 2 ** (-60_000 / (2 * HOUR)), 0);
    // A clock that went back reads again rather than use usage from the future.
    const back = await src.current(T0);
    expect(back?.asOf).toBe(T0);
  });
});
