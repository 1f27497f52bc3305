import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobRecord } from '../../scheduler/testing/job-record.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

/**
 * More live jobs than one page of the store holds (500): the overview, the site's use and an agent's
 * assignments must count and return every one of them.
 */
let h: Harness;
const RUNNING = 507;
const QUEUED = 12;
beforeAll(async () => {
  h = await createHarness();
  for (let i = 0; i < RUNNING; i++)
    await h.store.jobs.insertJob(
      jobRecord(h.orgA.id, { state: 'running', siteId: h.site.id, attempt: 1, leaseToken: 1, startedAt: 1 }),
      [],
    );
  for (let i = 0; i < QUEUED; i++) await h.store.jobs.insertJob(jobRecord(h.orgB.id), []);
}, 60_000);
afterAll(async () => h?.close());

describe('more live jobs than one store page', () => {
  it('the overview counts every job and every busy GPU', async () => {
    const own = await h.call('GET', '/stats/overview', h.tokens['org-member']);
    expect(own.status).toBe(200);
    expect(own.body.jobs).toMatchObject({ running: RUNNING, queued: 0 });
    const site = own.body.sites.find((s: { id: string }) => s.id === h.site.id);
    expect(site).toMatchObject({ gpusBusy: RUNNING, running: RUNNING, queued: 0 });

    const all = await h.call('GET', '/stats/overview', h.tokens['exchange-admin']);
    expect(all.body.jobs).toMatchObject({ running: RUNNING, queued: QUEUED, succeeded: 0 });
  });

  it("the site's agent is given every job it holds a lease on", async () => {
    const res = await h.call('GET', `/agent/assignments?siteId=${h.site.id}`, h.tokens['site-agent']);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(RUNNING);
    expect(new Set(res.body.items.map((i: { jobId: string }) => i.jobId)).size).toBe(RUNNING);
  });
});
