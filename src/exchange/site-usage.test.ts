import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobRun } from '../scheduler/job-store.js';
import { busyAt } from './site-usage.js';

const run = (gpus: number, startedAt: number, endedAt: number | null): JobRun => ({
  jobId: `job_${gpus}_${startedAt}`,
  gpus,
  startedAt,
  endedAt,
});

describe('busyAt', () => {
  it('holds GPUs from a start until the end, exclusive, and on for runs that have not ended', () => {
    const runs = [run(2, 10, 30), run(4, 20, null), run(1, 25, 26)];
    expect(busyAt(runs, [0, 10, 19, 20, 25, 26, 29, 30, 1000])).toEqual([0, 2, 2, 6, 7, 6, 6, 4, 4]);
  });

  it('agrees with counting every run at every time', () => {
    const arbRun = fc
      .tuple(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 50 })),
      )
      .map(([g, s, d]) => run(g, s, d === null ? null : s + d));
    fc.assert(
      fc.property(fc.array(arbRun, { maxLength: 30 }), fc.uniqueArray(fc.integer({ min: 0, max: 200 })), (runs, ts) => {
        const times = [...ts].sort((a, b) => a - b);
        const naive = times.map((t) =>
          runs.filter((r) => r.startedAt <= t && (r.endedAt === null || r.endedAt > t)).reduce((a, r) => a + r.gpus, 0),
        );
        expect(busyAt(runs, times)).toEqual(naive);
      }),
    );
  });
});
