import { HetaoError } from '../core/index.js';

/** contract.md's job states. */
export const JOB_STATES = [
  'submitted',
  'queued',
  'placed',
  'dispatched',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed-out',
] as const;
export type JobState = (typeof JOB_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'timed-out']);

/**
 * The edges of the state machine. Placed, dispatched and running return to queued when their site is lost
 * (requeue); any non-terminal state may be cancelled; a placed or dispatched job may fail (the site rejected it).
 */
const EDGES: Readonly<Record<JobState, readonly JobState[]>> = {
  submitted: ['queued', 'cancelled'],
  queued: ['placed', 'cancelled'],
  placed: ['dispatched', 'queued', 'failed', 'cancelled'],
  dispatched: ['running', 'queued', 'failed', 'cancelled'],
  running: ['succeeded', 'failed', 'timed-out', 'queued', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
  'timed-out': [],
};

/** One validated state change; the caller persists it and logs it. `at` is milliseconds since the epoch. */
export interface JobTransition {
  readonly jobId: string;
  readonly from: JobState;
  readonly to: JobState;
  readonly at: number;
  readonly reason: string;
}

export function canTransition(from: JobState, to: JobState): boolean {
  return EDGES[from]?.includes(to) ?? false;
}

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.has(state);
}

/** Validates `from -> to` and returns its record; an illegal edge throws HETAO_JOB_TRANSITION_ILLEGAL. */
export function transitionJob(jobId: string, from: JobState, to: JobState, at: number, reason: string): JobTransition {
  if (!canTransition(from, to)) {
    const allowed = EDGES[from] ?? [];
    throw new HetaoError(
      'HETAO_JOB_TRANSITION_ILLEGAL',
      `job ${jobId} cannot go from ${from} to ${to}` +
        (allowed.length ? ` (from ${from} it may go to ${allowed.join(', ')})` : ` (${from} is terminal)`),
      { field: 'state', details: { from, to } },
    );
  }
  return Object.freeze({ jobId, from, to, at, reason });
}

/** The site of a placed, dispatched or running job was lost: back to the queue. */
export function requeueOnSiteLoss(jobId: string, from: JobState, at: number, siteId: string): JobTransition {
  return transitionJob(jobId, from, 'queued', at, `site ${siteId} lost; requeued`);
}
