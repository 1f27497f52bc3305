import { describe, expect, it } from 'vitest';
import type { JobCostLine } from '../scheduler/job-store.js';
import { jobRecord } from '../scheduler/testing/job-record.js';
import { costOfLines, runTimeBySite } from './job-cost.js';

const line = (over: Partial<JobCostLine>): JobCostLine => ({
  siteId: 's1',
  siteName: 'S1',
  currency: 'CNY',
  gpuHours: 1,
  gross: 10,
  subsidy: 5,
  net: 5,
  programme: 'sz-compute-voucher',
  ...over,
});

describe('job cost', () => {
  it('adds the time of every run to the site it ran at, in the order the job first ran there', () => {
    const job = jobRecord('org', {
      siteId: 'hk',
      priorRunMs: 70,
      priorRuns: [
        { siteId: 'sz', startedAt: 100, endedAt: 130 },
        { siteId: 'hk', startedAt: 140, endedAt: 160 },
        { siteId: 'sz', startedAt: 170, endedAt: 190 },
      ],
    });
    expect([...runTimeBySite(job, 200, 260)]).toEqual([
      ['sz', 50],
      ['hk', 80],
    ]);
    // the job is back in the queue and did not start again: only its stopped runs
    expect([...runTimeBySite({ ...job, siteId: null }, null, 260)]).toEqual([
      ['sz', 50],
      ['hk', 20],
    ]);
  });

  it('prices stopped time recorded before runs were kept where the job is, else where it last ran', () => {
    const legacy = jobRecord('org', { priorRunMs: 60_000, priorSiteId: 'sz' });
    expect([...runTimeBySite(legacy, null, 0)]).toEqual([['sz', 60_000]]);
    expect([...runTimeBySite({ ...legacy, siteId: 'hk' }, 1_000, 3_000)]).toEqual([['hk', 62_000]]);
    const part = jobRecord('org', {
      siteId: 'hk',
      priorRunMs: 100,
      priorSiteId: 'hk',
      priorRuns: [{ siteId: 'sz', startedAt: 0, endedAt: 40 }],
    });
    expect([...runTimeBySite(part, null, 0)]).toEqual([
      ['hk', 60],
      ['sz', 40],
    ]);
    expect(runTimeBySite(jobRecord('org', { siteId: 'sz' }), null, 10).size).toBe(0);
  });

  it('totals the lines in one currency, and leaves the totals out when the job ran in two', () => {
    const one = costOfLines([line({}), line({ siteId: 's2', gross: 0.1, subsidy: 0.05, net: 0.05, gpuHours: 0.2 })]);
    expect(one).toMatchObject({ currency: 'CNY', gpuHours: 1.2, gross: 10.1, subsidy: 5.05, net: 5.05 });
    expect(one.programme).toBe('sz-compute-voucher');
    expect(costOfLines([line({}), line({ siteId: 's2', programme: null })]).programme).toBeNull();
    const two = costOfLines([line({}), line({ siteId: 'hk', currency: 'HKD', programme: 'hk-aiss' })]);
    expect(two).toMatchObject({ currency: null, gross: null, subsidy: null, net: null, programme: null, gpuHours: 2 });
    expect(two.lines).toHaveLength(2);
  });
});
