import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { runSimulateCommand } from './simulate-command.js';
import { simulate, simulateInDetail } from './simulator.js';
import type { SimSite } from './sites-file.js';
import { compressArrivals, pinResidency, synthesizeTimeLimits, type TraceJob } from './trace-job.js';
import { readTiresiasTrace } from './trace-readers.js';

const shared = fileURLToPath(new URL('../../../shared/traces/', import.meta.url));
const fixtures = fileURLToPath(new URL('../../test/fixtures/scheduler/', import.meta.url));
const read = (p: string): string => readFileSync(p, 'utf8');
const KEYS = [
  'scheduler',
  'jobs',
  'completed',
  'avgJctS',
  'p99JctS',
  'avgQueueS',
  'utilization',
  'residencyViolations',
  'placementsPerSec',
  'wallS',
];

const small: SimSite[] = [
  { id: 'sz', jurisdiction: 'SZ', gpus: { V100: 8 }, pricePerGpuHour: 10, subsidyRate: 0.5 },
  { id: 'hk', jurisdiction: 'HK', gpus: { V100: 8 }, pricePerGpuHour: 14, subsidyRate: 0.7 },
];
const tiresias = compressArrivals(
  pinResidency(synthesizeTimeLimits(readTiresiasTrace(read(`${shared}tiresias-philly-derived/60_job.csv`))), {
    share: 0.3,
  }),
  2,
);

describe('simulate', () => {
  it('runSimulateCommand prints exactly the contract fields and completes every job of the hetao fixture', () => {
    for (const scheduler of ['hetao', 'fifo', 'greedy']) {
      const r = runSimulateCommand({
        traceText: read(`${fixtures}small-trace.csv`),
        sitesText: read(`${fixtures}two-sites.yaml`),
        format: 'hetao',
        scheduler,
      });
      expect(Object.keys(r)).toEqual(KEYS);
      expect(r).toMatchObject({ scheduler, jobs: 6, completed: 6, residencyViolations: 0 });
      expect(r.utilization).toBeGreaterThan(0);
      expect(r.utilization).toBeLessThanOrEqual(1);
    }
    expect(() => runSimulateCommand({ traceText: '', sitesText: '', scheduler: 'lottery' })).toThrow(HetaoError);
  });

  it('on the Tiresias trace: all complete, no residency violations, greedy never waits longer than fifo on average', () => {
    const rs = Object.fromEntries(
      (['hetao', 'fifo', 'greedy'] as const).map((s) => [s, simulate({ trace: tiresias, sites: small, scheduler: s })]),
    );
    for (const r of Object.values(rs)) {
      expect(r.completed).toBe(60);
      expect(r.residencyViolations).toBe(0);
      expect(r.utilization).toBeGreaterThan(0);
      expect(r.utilization).toBeLessThanOrEqual(1);
      expect(r.avgJctS).toBeGreaterThanOrEqual(r.avgQueueS);
    }
    expect(rs.greedy?.avgQueueS).toBeLessThanOrEqual(rs.fifo?.avgQueueS as number);
    expect(rs.hetao?.avgJctS).toBeLessThan(rs.fifo?.avgJctS as number);
  });

  it('fifo starts jobs in submit order; pinned jobs run only in their jurisdiction', () => {
    const jobs: TraceJob[] = [
      {
        id: 'a',
        org: 'o',
        submitS: 0,
        gpus: 8,
        durationS: 100,
        gpuTypes: [],
        dataJurisdiction: 'HK',
        dataMovable: false,
        timeLimitS: 100,
        priority: 0,
      },
      {
        id: 'b',
        org: 'o',
        submitS: 1,
        gpus: 8,
        durationS: 100,
        gpuTypes: [],
        dataJurisdiction: 'HK',
        dataMovable: false,
        timeLimitS: 100,
        priority: 0,
      },
      {
        id: 'c',
        org: 'o',
        submitS: 2,
        gpus: 1,
        durationS: 10,
        gpuTypes: [],
        dataJurisdiction: null,
        dataMovable: true,
        timeLimitS: 10,
        priority: 0,
      },
    ];
    const fifo = simulate({ trace: jobs, sites: small, scheduler: 'fifo' });
    // b waits for a (HK only): 101 s of its 200 s; c is blocked behind b under fifo until b starts at 100 s
    expect(fifo.avgQueueS).toBeCloseTo((0 + 99 + 98) / 3, 3);
    const greedy = simulate({ trace: jobs, sites: small, scheduler: 'greedy' });
    expect(greedy.avgQueueS).toBeCloseTo(99 / 3, 3);
    expect(fifo.residencyViolations + greedy.residencyViolations).toBe(0);
  });

  it('reclaims borrowed GPUs by preemption: the lender starts at once, the borrower resumes with its work kept', () => {
    const one: SimSite[] = [{ id: 'sz', jurisdiction: 'SZ', gpus: { V100: 8 }, pricePerGpuHour: 10, subsidyRate: 0 }];
    const mk = (id: string, org: string, submitS: number, durationS: number, preemptible: boolean): TraceJob => ({
      id,
      org,
      submitS,
      gpus: 1,
      durationS,
      gpuTypes: [],
      dataJurisdiction: null,
      dataMovable: true,
      timeLimitS: 2 * durationS,
      priority: 0,
      preemptible,
    });
    const trace = (preemptible: boolean) => [
      ...Array.from({ length: 8 }, (_, i) => mk(`a${i}`, 'a', 0, 1000, preemptible)),
      ...Array.from({ length: 4 }, (_, i) => mk(`b${i}`, 'b', 10, 100, false)),
    ];
    const quotas = { a: 0.5, b: 0.5 };
    const run = (preemptible: boolean) =>
      simulateInDetail({ trace: trace(preemptible), sites: one, scheduler: 'hetao', quotas, restartCostS: 20 });
    const end = (d: ReturnType<typeof run>, id: string) => d.jobs.find((j) => j.id === id)?.endS;

    const kept = run(false);
    expect(kept.preemptions).toBe(0);
    expect(end(kept, 'b0')).toBe(1100); // b waits for a's borrowed GPUs to finish

    const taken = run(true);
    expect(taken.preemptions).toBe(4);
    expect(taken.result.completed).toBe(12);
    for (let i = 0; i < 4; i++) expect(end(taken, `b${i}`)).toBe(110);
    // a keeps its 4 GPUs throughout; the 4 stopped jobs ran 10 s, resume at 110 s, restore for 20 s, finish the
    // remaining 990 s
    const aEnds = Array.from({ length: 8 }, (_, i) => end(taken, `a${i}`)).sort(
      (x, y) => (x as number) - (y as number),
    );
    expect(aEnds).toEqual([1000, 1000, 1000, 1000, 1120, 1120, 1120, 1120]);
    expect(taken.restartGpuS).toBe(80);
    expect(taken.result.residencyViolations).toBe(0);
    // fifo and greedy never preempt
    for (const scheduler of ['fifo', 'greedy'] as const)
      expect(simulateInDetail({ trace: trace(true), sites: one, scheduler, quotas }).preemptions).toBe(0);
  });
});
