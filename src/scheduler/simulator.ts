import type { TickSite } from './cluster-pools.js';
import { createFairShare, decayUsage, recordUsage } from './fair-share.js';
import { MinHeap } from './min-heap.js';
import type { RunningAllocation } from './placement-facts.js';
import { type SchedulerName, scheduleTick, type TickJob, type TickOptions } from './queue-tick.js';
import { limitForRun } from './resume-limit.js';
import type { SimSite } from './sites-file.js';
import type { TraceJob } from './trace-job.js';

export interface SimulateInput {
  readonly trace: readonly TraceJob[];
  readonly sites: readonly SimSite[];
  readonly scheduler: SchedulerName;
  readonly tickOptions?: Partial<TickOptions>;
  /** Guaranteed GPU share per organization (fair share and borrowing); default none. */
  readonly quotas?: Readonly<Record<string, number>>;
  /** Fair-share usage half-life, s. Default 7 days. */
  readonly halfLifeS?: number;
  /** At most one scheduling pass per this many simulated seconds (0 = at every event). Default 0. */
  readonly tickIntervalS?: number;
  /** Wall clock in ms for wallS and placementsPerSec; default performance.now. */
  readonly wallClock?: () => number;
  /**
   * Seconds a preempted job spends restoring its checkpoint each time it resumes, holding its GPUs without
   * progress. Default 30.
   */
  readonly restartCostS?: number;
}

/** The contract's result plus what preemption did (the contract's JSON carries only `result`). */
export interface SimulationDetail {
  readonly result: SimulationResult;
  /** Running jobs stopped and queued again. */
  readonly preemptions: number;
  /** GPU-seconds spent restoring checkpoints after preemption. */
  readonly restartGpuS: number;
  /** Completed jobs: id, organization, first start and end, s. */
  readonly jobs: readonly {
    readonly id: string;
    readonly org: string;
    readonly startS: number;
    readonly endS: number;
  }[];
}

/** contract.md "Scheduler simulation": exactly these fields. */
export interface SimulationResult {
  readonly scheduler: SchedulerName;
  readonly jobs: number;
  readonly completed: number;
  readonly avgJctS: number;
  readonly p99JctS: number;
  readonly avgQueueS: number;
  readonly utilization: number;
  readonly residencyViolations: number;
  readonly placementsPerSec: number;
  readonly wallS: number;
}

interface Live {
  readonly job: TraceJob;
  tick: TickJob;
  /** First start (the queueing delay ends there), -1 before. */
  start: number;
  /** This run's start, and the restart time it spends before it progresses. */
  runStart: number;
  overheadS: number;
  end: number;
  siteId: string;
  gpuType: string;
  /** Seconds of work done in earlier, preempted runs. */
  doneS: number;
  /** Bumped at each preemption: a completion scheduled for an earlier run is stale. */
  run: number;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Discrete-event replay of a trace over sites. Schedulers see the same TickJob the server builds (time limits,
 * never durations); a job runs min(duration, limit) seconds. Jobs no site can ever hold stay queued and are not
 * counted as completed. Deterministic for a given input.
 */
export function simulate(input: SimulateInput): SimulationResult {
  return simulateInDetail(input).result;
}

/**
 * `simulate`, with what preemption did. A preempted job keeps the work it did (it checkpoints), goes back to the
 * queue with the limit it has left, and on every resume first spends `restartCostS` holding its GPUs.
 */
export function simulateInDetail(input: SimulateInput): SimulationDetail {
  const wall = input.wallClock ?? (() => performance.now());
  const t0 = wall();
  const jobs = [...input.trace].sort((a, b) => a.submitS - b.submitS);
  const siteById = new Map(input.sites.map((s) => [s.id, s] as const));
  const free = new Map<string, Map<string, number>>();
  let totalGpus = 0;
  for (const s of input.sites) {
    free.set(s.id, new Map(Object.entries(s.gpus).map(([t, n]) => [t, n * 1000] as const)));
    for (const n of Object.values(s.gpus)) totalGpus += n;
  }
  const inJurisdiction = new Map<string, ReadonlySet<string>>();
  for (const j of ['SZ', 'HK'] as const)
    inJurisdiction.set(j, new Set(input.sites.filter((s) => s.jurisdiction === j).map((s) => s.id)));

  let fs = input.quotas ? createFairShare(input.quotas, 0, (input.halfLifeS ?? 7 * 86400) * 1000) : null;
  const queue = new Map<string, Live>();
  const running = new Map<string, RunningAllocation>();
  const done = new MinHeap<{ readonly l: Live; readonly run: number }>();
  const live = new Map<string, Live>();
  const restartS = input.restartCostS ?? 30;
  let preemptions = 0;
  let restartGpuS = 0;
  const finished: Live[] = [];
  let next = 0;
  let lastTick = Number.NEGATIVE_INFINITY;
  let tickMs = 0;
  let placements = 0;
  let violations = 0;
  let busy = 0;
  const interval = input.tickIntervalS ?? 0;
  /** A run ends at `at` (done, or stopped): its GPUs are free, its GPU-time is busy time and the org's use. */
  const endRun = (l: Live, at: number): void => {
    const pool = free.get(l.siteId) as Map<string, number>;
    pool.set(l.gpuType, (pool.get(l.gpuType) ?? 0) + Math.round(l.job.gpus * 1000));
    running.delete(l.job.id);
    busy += l.job.gpus * (at - l.runStart);
    if (fs) fs = recordUsage(fs, l.job.org, l.job.gpus * (at - l.runStart) * 1000, at * 1000);
  };

  while (next < jobs.length || done.size > 0) {
    let t = Math.min(next < jobs.length ? (jobs[next] as TraceJob).submitS : Number.POSITIVE_INFINITY, done.peekKey());
    if (interval > 0) t = Math.max(t, lastTick + interval);
    while (done.size > 0 && done.peekKey() <= t) {
      const { l, run } = done.pop() as { l: Live; run: number };
      if (run !== l.run) continue;
      endRun(l, l.end);
      finished.push(l);
    }
    while (next < jobs.length && (jobs[next] as TraceJob).submitS <= t) {
      const j = jobs[next++] as TraceJob;
      const pinned = !j.dataMovable && j.dataJurisdiction !== null;
      const tick: TickJob = {
        id: j.id,
        org: j.org,
        submittedAt: j.submitS * 1000,
        gpus: j.gpus,
        gpuTypes: j.gpuTypes,
        timeLimit: j.timeLimitS === null ? null : j.timeLimitS * 1000,
        priority: j.priority,
        allowedSites: pinned ? (inJurisdiction.get(j.dataJurisdiction as string) ?? new Set()) : null,
        dataJurisdiction: j.dataJurisdiction,
      };
      const l: Live = {
        job: j,
        tick,
        start: -1,
        runStart: -1,
        overheadS: 0,
        end: -1,
        siteId: '',
        gpuType: '',
        doneS: 0,
        run: 0,
      };
      queue.set(j.id, l);
      live.set(j.id, l);
    }
    if (queue.size === 0) continue;
    lastTick = t;
    const sites: TickSite[] = input.sites.map((s) => ({
      id: s.id,
      jurisdiction: s.jurisdiction,
      netPricePerGpuHour: s.pricePerGpuHour * (1 - s.subsidyRate),
      pools: [...(free.get(s.id) as Map<string, number>)].map(([type, f]) => ({
        type,
        total: (s.gpus[type] ?? 0) as number,
        free: f / 1000,
      })),
    }));
    if (fs) fs = decayUsage(fs, t * 1000);
    const w0 = wall();
    const res = scheduleTick({
      now: t * 1000,
      scheduler: input.scheduler,
      queue: [...queue.values()].map((l) => l.tick),
      sites,
      running: [...running.values()],
      fairShare: fs,
      ...(input.tickOptions ? { options: input.tickOptions } : {}),
    });
    tickMs += wall() - w0;
    for (const x of res.preemptions) {
      const l = live.get(x.jobId);
      if (!l || !running.has(x.jobId)) continue;
      endRun(l, t);
      restartGpuS -= l.job.gpus * Math.max(0, l.overheadS - (t - l.runStart)); // restore cut short
      l.doneS += Math.max(0, t - l.runStart - l.overheadS);
      l.run++;
      preemptions++;
      const limit = l.job.timeLimitS;
      l.tick = { ...l.tick, timeLimit: limitForRun(limit === null ? null : limit * 1000, l.doneS * 1000) };
      queue.set(l.job.id, l);
    }
    for (const s of res.starts) {
      const l = queue.get(s.jobId) as Live;
      queue.delete(s.jobId);
      placements++;
      const site = siteById.get(s.siteId) as SimSite;
      if (!l.job.dataMovable && l.job.dataJurisdiction !== null && site.jurisdiction !== l.job.dataJurisdiction)
        violations++;
      const pool = free.get(s.siteId) as Map<string, number>;
      pool.set(s.gpuType, (pool.get(s.gpuType) ?? 0) - Math.round(l.job.gpus * 1000));
      if (l.start < 0) l.start = t;
      l.runStart = t;
      l.overheadS = l.doneS > 0 ? restartS : 0;
      restartGpuS += l.job.gpus * l.overheadS;
      // The run ends when its work is done or at its limit (a resumed run's restore counts against it).
      const work = Math.min(l.job.durationS, l.job.timeLimitS ?? Number.POSITIVE_INFINITY) - l.doneS;
      const runLimitS = l.tick.timeLimit === null ? Number.POSITIVE_INFINITY : l.tick.timeLimit / 1000;
      l.end = t + Math.min(l.overheadS + Math.max(0, work), runLimitS);
      l.siteId = s.siteId;
      l.gpuType = s.gpuType;
      running.set(l.job.id, {
        jobId: l.job.id,
        org: l.job.org,
        siteId: s.siteId,
        gpuType: s.gpuType,
        gpus: l.job.gpus,
        expectedEnd: l.tick.timeLimit === null ? null : t * 1000 + l.tick.timeLimit,
        ...(l.job.preemptible
          ? { preemptible: { startedAt: t * 1000, submittedAt: l.tick.submittedAt, priority: l.job.priority } }
          : {}),
      });
      done.push(l.end, { l, run: l.run });
    }
  }

  const jct = finished.map((l) => l.end - l.job.submitS).sort((a, b) => a - b);
  const qd = finished.map((l) => l.start - l.job.submitS);
  const first = jobs.length ? (jobs[0] as TraceJob).submitS : 0;
  const last = finished.reduce((m, l) => Math.max(m, l.end), first);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const p99 = jct.length ? (jct[Math.min(jct.length - 1, Math.ceil(0.99 * jct.length) - 1)] as number) : 0;
  const span = last - first;
  const result: SimulationResult = {
    scheduler: input.scheduler,
    jobs: jobs.length,
    completed: finished.length,
    avgJctS: round(mean(jct)),
    p99JctS: round(p99),
    avgQueueS: round(mean(qd)),
    utilization: round(span > 0 && totalGpus > 0 ? Math.min(1, busy / (totalGpus * span)) : 0, 4),
    residencyViolations: violations,
    placementsPerSec: round(tickMs > 0 ? placements / (tickMs / 1000) : 0, 1),
    wallS: round((wall() - t0) / 1000),
  };
  return {
    result,
    preemptions,
    restartGpuS: round(restartGpuS),
    jobs: finished.map((l) => ({ id: l.job.id, org: l.job.org, startS: l.start, endS: l.end })),
  };
}
