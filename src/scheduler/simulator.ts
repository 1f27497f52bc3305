import type { TickSite } from './cluster-pools.js';
import { createFairShare, decayUsage, recordUsage } from './fair-share.js';
import { MinHeap } from './min-heap.js';
import type { RunningAllocation } from './placement-facts.js';
import { type SchedulerName, scheduleTick, type TickJob, type TickOptions } from './queue-tick.js';
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
  readonly tick: TickJob;
  start: number;
  end: number;
  siteId: string;
  gpuType: string;
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Discrete-event replay of a trace over sites. Schedulers see the same TickJob the server builds (time limits,
 * never durations); a job runs min(duration, limit) seconds. Jobs no site can ever hold stay queued and are not
 * counted as completed. Deterministic for a given input.
 */
export function simulate(input: SimulateInput): SimulationResult {
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
  const done = new MinHeap<Live>();
  const finished: Live[] = [];
  let next = 0;
  let lastTick = Number.NEGATIVE_INFINITY;
  let tickMs = 0;
  let placements = 0;
  let violations = 0;
  let busy = 0;
  const interval = input.tickIntervalS ?? 0;

  while (next < jobs.length || done.size > 0) {
    let t = Math.min(next < jobs.length ? (jobs[next] as TraceJob).submitS : Number.POSITIVE_INFINITY, done.peekKey());
    if (interval > 0) t = Math.max(t, lastTick + interval);
    while (done.size > 0 && done.peekKey() <= t) {
      const l = done.pop() as Live;
      const pool = free.get(l.siteId) as Map<string, number>;
      pool.set(l.gpuType, (pool.get(l.gpuType) ?? 0) + Math.round(l.job.gpus * 1000));
      running.delete(l.job.id);
      busy += l.job.gpus * (l.end - l.start);
      if (fs) fs = recordUsage(fs, l.job.org, l.job.gpus * (l.end - l.start) * 1000, l.end * 1000);
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
      queue.set(j.id, { job: j, tick, start: -1, end: -1, siteId: '', gpuType: '' });
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
    for (const s of res.starts) {
      const l = queue.get(s.jobId) as Live;
      queue.delete(s.jobId);
      placements++;
      const site = siteById.get(s.siteId) as SimSite;
      if (!l.job.dataMovable && l.job.dataJurisdiction !== null && site.jurisdiction !== l.job.dataJurisdiction)
        violations++;
      const pool = free.get(s.siteId) as Map<string, number>;
      pool.set(s.gpuType, (pool.get(s.gpuType) ?? 0) - Math.round(l.job.gpus * 1000));
      l.start = t;
      l.end = t + Math.min(l.job.durationS, l.job.timeLimitS ?? Number.POSITIVE_INFINITY);
      l.siteId = s.siteId;
      l.gpuType = s.gpuType;
      running.set(l.job.id, {
        jobId: l.job.id,
        org: l.job.org,
        siteId: s.siteId,
        gpuType: s.gpuType,
        gpus: l.job.gpus,
        expectedEnd: l.tick.timeLimit === null ? null : t * 1000 + l.tick.timeLimit,
      });
      done.push(l.end, l);
    }
  }

  const jct = finished.map((l) => l.end - l.job.submitS).sort((a, b) => a - b);
  const qd = finished.map((l) => l.start - l.job.submitS);
  const first = jobs.length ? (jobs[0] as TraceJob).submitS : 0;
  const last = finished.reduce((m, l) => Math.max(m, l.end), first);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const p99 = jct.length ? (jct[Math.min(jct.length - 1, Math.ceil(0.99 * jct.length) - 1)] as number) : 0;
  const span = last - first;
  return {
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
}
