import { describe, expect, it } from 'vitest';
import { site } from '../registry/testing/factories.js';
import { jobRecord } from '../scheduler/testing/job-record.js';
import { allocationOf, limitLeft, siteFacts } from './placement-facts-builder.js';
import { requestOf } from './scheduling-tick.js';

const MIN = 60_000;
const placement = { siteId: 's', siteName: 'S', gpuType: 'A800', explanation: '', alternatives: [] };

describe('the limit a resumed job is planned with', () => {
  it('is the spec limit less earlier stopped runs (at least a minute) plus time to restore, never more than the spec', () => {
    const fresh = jobRecord('o'); // 60-minute limit
    expect(limitLeft(fresh)).toBe(60 * MIN);
    expect(limitLeft({ ...fresh, priorRunMs: 45 * MIN })).toBe(20 * MIN);
    expect(limitLeft({ ...fresh, priorRunMs: 90 * MIN })).toBe(6 * MIN);
    expect(limitLeft({ ...fresh, priorRunMs: 2 * MIN })).toBe(60 * MIN);
    const unlimited = {
      ...fresh,
      spec: { ...fresh.spec, resources: { ...fresh.spec.resources, timeLimitMinutes: null } },
    };
    expect(limitLeft({ ...unlimited, priorRunMs: 45 * MIN })).toBeNull();
  });

  it('ranks and plans the next run with it', () => {
    const resumed = {
      ...jobRecord('o', { siteId: 's', placement, state: 'running' as const, startedAt: 1_000 }),
      priorRunMs: 40 * MIN,
    };
    expect(allocationOf(resumed)?.expectedEnd).toBe(1_000 + 25 * MIN);
    expect(requestOf(resumed).timeLimit).toBe(25 * MIN);
  });
});

describe('a site as placement sees it', () => {
  it('keeps a surplus: GPUs withdrawn under running jobs leave free below zero until those end', () => {
    const s = site('op', { id: 's', gpus: { A800: 4, H800: 2 } });
    const run = (jobId: string, gpuType: string, gpus: number) => ({
      jobId,
      org: 'o',
      siteId: 's',
      gpuType,
      gpus,
      expectedEnd: null,
    });
    const facts = siteFacts(s, [
      run('a', 'A800', 4),
      run('b', 'A800', 2),
      run('c', 'H800', 1),
      { ...run('d', 'A800', 8), siteId: 't' },
    ]);
    expect(facts.gpus).toEqual([
      { type: 'A800', total: 4, free: -2 },
      { type: 'H800', total: 2, free: 1 },
    ]);
  });
});
