import type { Jurisdiction } from '../policy/types.js';
import type { TickSite } from './cluster-pools.js';
import type { FairShare } from './fair-share.js';
import type { RunningAllocation } from './placement-facts.js';
import type { Preemption } from './preemption.js';

export const SCHEDULERS = ['hetao', 'fifo', 'greedy'] as const;
/**
 * hetao: smallest GPU-time limit first with exponential aging, priority and fair share (Smith's rule), the
 * first `planWindow` of those jobs then ordered by a plan of them together (plan-search.ts); backfill behind up to
 * `reservationsPerPool` reservations per pool (conservative over the first blocked jobs; 1 = EASY); jobs that can
 * start in several pools keep out of a pool being drained for a blocked wider job; packing by GPU type; quota
 * borrowing last. fifo: strict submit order, stops at the first job that does not fit
 * (head-of-line blocking). greedy: submit order, starts every job that fits.
 */
export type SchedulerName = (typeof SCHEDULERS)[number];

/** A queued job as the tick sees it. Times in ms; the true duration is never part of it. */
export interface TickJob {
  readonly id: string;
  readonly org: string;
  readonly submittedAt: number;
  readonly gpus: number;
  /** Allowed GPU types; empty = any. */
  readonly gpuTypes: readonly string[];
  /** The user's time limit; null = none (ranks as `noLimitRank`, backfills only into spare capacity). */
  readonly timeLimit: number | null;
  /** -10..10; each step of 2 halves (raises) the rank key. */
  readonly priority: number;
  /** Sites where residency allows the job; null = every site. */
  readonly allowedSites: ReadonlySet<string> | null;
  /** Where the job's data is; pools there are preferred (no movement). */
  readonly dataJurisdiction: Jurisdiction | null;
}

export interface TickOptions {
  /** Each `aging` ms of waiting halves a job's rank key, so every job eventually heads the queue. Default 1 h. */
  readonly aging: number;
  /** Rank key used in place of a missing time limit, ms. Default 24 h. */
  readonly noLimitRank: number;
  /** Most reservations per tick. Default unlimited. */
  readonly maxReservations: number;
  /**
   * Reservations per pool: 1 is EASY backfill (only the first blocked job is protected); more protect the next
   * blocked jobs too (conservative backfill over them), so a long job cannot backfill into capacity they will
   * need. Default 4. Jobs in the plan window are all reserved when they do not start (the plan is conservative
   * over its window); this bounds the reservations for the jobs after it.
   */
  readonly reservationsPerPool: number;
  /** Rank by GPU-time (limit x GPUs) rather than by limit alone. Default true. */
  readonly byGpuTime: boolean;
  /** Stop running preemptible jobs to reclaim borrowed capacity or for higher priority (preemption.ts). Default true. */
  readonly preemption: boolean;
  /** Jobs at the head of the queue planned together (plan-search.ts); 0 = rank order alone. Default 32. */
  readonly planWindow: number;
  /** Moves the plan search tries per pass. Default 200. */
  readonly planIterations: number;
}

export const DEFAULT_TICK_OPTIONS: TickOptions = Object.freeze({
  aging: 3600_000,
  noLimitRank: 24 * 3600_000,
  maxReservations: Number.POSITIVE_INFINITY,
  reservationsPerPool: 4,
  byGpuTime: true,
  preemption: true,
  planWindow: 32,
  planIterations: 200,
});

export interface TickInput {
  readonly now: number;
  readonly scheduler: SchedulerName;
  readonly queue: readonly TickJob[];
  readonly sites: readonly TickSite[];
  /** Current allocations (their planned ends give reservation times; their GPUs count towards quotas). */
  readonly running: readonly RunningAllocation[];
  readonly fairShare?: FairShare | null;
  readonly options?: Partial<TickOptions>;
}

export interface StartDecision {
  readonly jobId: string;
  readonly siteId: string;
  /** '' for a job asking for 0 GPUs. */
  readonly gpuType: string;
  readonly gpus: number;
  /** The organization is over its quota with this job: it borrows idle capacity. */
  readonly borrowed: boolean;
  /** Started ahead of a job holding a reservation (backfill). */
  readonly backfilled: boolean;
  /**
   * Started ahead of a job ranked before it because the plan for the head of the queue does better that way (that
   * job is in `heldByPlan`); not counted as backfill.
   */
  readonly plannedAhead: boolean;
}

export interface TickReservation {
  readonly jobId: string;
  readonly siteId: string;
  readonly gpuType: string;
  readonly at: number;
}

export interface TickResult {
  readonly starts: readonly StartDecision[];
  readonly reservations: readonly TickReservation[];
  /** Queued jobs no pool could ever hold (GPU type, size or residency): they are not started by any policy. */
  readonly unplaceable: readonly string[];
  /**
   * Running jobs to stop and queue again; each names the job in `starts` that takes its GPUs. Only the hetao
   * scheduler preempts.
   */
  readonly preemptions: readonly Preemption[];
  /**
   * GPUs each organization holds once this pass's starts and stops count, and the GPUs the shares divide: what
   * says whether a waiting job is over its organization's share. null without fair share or for fifo/greedy.
   */
  readonly shares: { readonly held: ReadonlyMap<string, number>; readonly totalGpus: number } | null;
  /**
   * Queued jobs the plan for the head of the queue starts later although jobs ranked after them start now: running
   * those first shortens the planned completion times overall. Each has a reservation. Empty for fifo and greedy.
   */
  readonly heldByPlan: readonly string[];
}
