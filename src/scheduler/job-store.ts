import type { Page, PageRequest } from '../registry/types.js';
import type { JobSpec } from './job-spec.js';
import type { JobState, JobTransition } from './job-state.js';

/** Where and why a job was placed; `alternatives` says why each other site was not chosen. */
export interface JobPlacement {
  readonly siteId: string;
  readonly siteName: string;
  readonly gpuType: string;
  readonly explanation: string;
  readonly alternatives: readonly { readonly siteId: string; readonly reason: string }[];
}

/** How the site ran the current attempt (what the agent reported). */
export interface JobExecution {
  readonly executor: 'local' | 'slurm';
  readonly cluster?: string;
  readonly slurmJobId?: number;
  readonly exitCode?: number;
  readonly signal?: string;
  /** The executor's handle, kept so an agent that restarts can re-attach. */
  readonly handle?: unknown;
}

/** What the runs at one site cost, in that site's currency, with the subsidy paid there. */
export interface JobCostLine {
  readonly siteId: string;
  readonly siteName: string;
  readonly currency: string;
  readonly gpuHours: number;
  readonly gross: number;
  readonly subsidy: number;
  readonly net: number;
  readonly programme: string | null;
}

/**
 * What a job cost: one line per site it ran at, in the order it first ran there, each at that site's price and
 * subsidy. The totals add the lines up when they share one currency; when a job ran on both sides of the boundary
 * (CNY and HKD lines) `currency`, `gross`, `subsidy` and `net` are null and only the lines say what it cost.
 * `programme` is the subsidy programme when one paid for every line, else null. Records written before lines
 * existed have none: their totals are the whole cost.
 */
export interface JobCost {
  readonly currency: string | null;
  readonly gpuHours: number;
  readonly gross: number | null;
  readonly subsidy: number | null;
  readonly net: number | null;
  readonly programme: string | null;
  readonly lines?: readonly JobCostLine[];
}

/** A run that was stopped (preemption, or its site was lost): where it ran and for how long. */
export interface PriorRun {
  readonly siteId: string;
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * One job as the exchange keeps it. `attempt` counts dispatches; `leaseToken` is the fencing token of the
 * current lease: it only grows, and a report carrying an older token is refused.
 */
export interface JobRecord {
  readonly id: string;
  readonly orgId: string;
  readonly submittedBy: string;
  readonly name: string;
  readonly spec: JobSpec;
  readonly state: JobState;
  readonly submittedAt: number;
  readonly updatedAt: number;
  readonly version: number;
  readonly siteId: string | null;
  readonly placement: JobPlacement | null;
  /** Why the job waits (no feasible site, or capacity), while queued. */
  readonly waitingReason: string | null;
  readonly attempt: number;
  readonly leaseToken: number;
  readonly leaseExpiresAt: number | null;
  readonly execution: JobExecution | null;
  readonly cost: JobCost | null;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /**
   * Milliseconds the job ran in earlier runs that were stopped by preemption (its current run counts from
   * `startedAt`): charged and counted as use together with the last run.
   */
  readonly priorRunMs: number;
  /**
   * The site of its last stopped run while it waits in the queue again (null otherwise, or kept once it is placed
   * again, where `siteId` counts): it prices `priorRunMs` if the job is cancelled before it runs again.
   */
  readonly priorSiteId: string | null;
  /**
   * The stopped runs, oldest first: each is charged at the site it ran at. Their time adds up to `priorRunMs`
   * except for runs stopped before the exchange kept them (those are priced at `priorSiteId`, else the last site).
   */
  readonly priorRuns: readonly PriorRun[];
}

/** A job as it is accepted: queued, version 1, never dispatched, nowhere yet. */
export function newJob(f: {
  readonly id: string;
  readonly orgId: string;
  readonly submittedBy: string;
  readonly spec: JobSpec;
  readonly at: number;
  readonly waitingReason: string | null;
}): JobRecord {
  return {
    id: f.id,
    orgId: f.orgId,
    submittedBy: f.submittedBy,
    name: f.spec.name,
    spec: f.spec,
    state: 'queued',
    submittedAt: f.at,
    updatedAt: f.at,
    version: 1,
    siteId: null,
    placement: null,
    waitingReason: f.waitingReason,
    attempt: 0,
    leaseToken: 0,
    leaseExpiresAt: null,
    execution: null,
    cost: null,
    startedAt: null,
    endedAt: null,
    priorRunMs: 0,
    priorSiteId: null,
    priorRuns: [],
  };
}

/** When a job ran at a site and on how many GPUs; `endedAt` null while it still runs. */
export interface JobRun {
  readonly jobId: string;
  readonly gpus: number;
  readonly startedAt: number;
  readonly endedAt: number | null;
}

/** A finished job as fair share counts it: who used how many GPUs, from when to when (its last run) and before. */
export interface UsageRun {
  readonly orgId: string;
  readonly gpus: number;
  /** Start of its last run; null when it ended before that run started (it ran only in earlier runs). */
  readonly startedAt: number | null;
  readonly endedAt: number;
  /** Earlier runs stopped by preemption, ms. */
  readonly priorRunMs: number;
}

export interface JobFilter {
  readonly orgId?: string;
  readonly states?: readonly JobState[];
  readonly siteId?: string;
  /** Jobs that are, or were, at this site: placed there now, or with a stopped run or last attempt there. */
  readonly touchedSiteId?: string;
  /** Jobs changed at or after this time, ms. */
  readonly updatedSince?: number;
}

/**
 * Persistence of jobs. `saveJob` is optimistic like the registry's updates, and appends the transitions and
 * marks the agent message processed in the same transaction: a retried report whose message id was seen
 * changes nothing (HETAO_STORE_DUPLICATE on the message id, which callers treat as "already done"). Changes
 * take `entries`: the ledger entries that record them (canonical bytes), staged in the store's ledger outbox in
 * the same transaction, so a change is never committed without its record.
 */
export interface JobStore {
  insertJob(job: JobRecord, events: readonly JobTransition[], entries?: readonly Uint8Array[]): Promise<JobRecord>;
  getJob(id: string): Promise<JobRecord | null>;
  listJobs(filter: JobFilter, page?: PageRequest): Promise<Page<JobRecord>>;
  /**
   * Runs at `siteId` still going at or after `since` (ended then or later, or not yet), by start: each job's
   * current or last run there and its stopped runs there.
   */
  listRuns(siteId: string, since: number): Promise<readonly JobRun[]>;
  /** Runs of every organization at every site that ended at or after `since`. */
  listUsage(since: number): Promise<readonly UsageRun[]>;
  /** How many jobs match `filter`, by state (every state present, 0 when none). */
  countJobs(filter: JobFilter): Promise<Readonly<Record<JobState, number>>>;
  saveJob(
    next: JobRecord,
    expectedVersion: number,
    events: readonly JobTransition[],
    messageId?: string,
    entries?: readonly Uint8Array[],
  ): Promise<JobRecord>;
  listJobEvents(jobId: string): Promise<readonly JobTransition[]>;
  /** Whether an agent message id was already processed. */
  seenMessage(messageId: string): Promise<boolean>;
  /** Appends log text at a byte offset of the attempt's output; a chunk at an offset already stored is ignored. */
  appendJobLog(jobId: string, attempt: number, offset: number, text: string): Promise<void>;
  /** The log of the latest attempt (or of `attempt`), in order. */
  readJobLog(jobId: string, attempt?: number): Promise<string>;
}
