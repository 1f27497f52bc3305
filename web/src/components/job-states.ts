import type { JobState } from '../api/types';

export const JOB_STATES: readonly JobState[] = [
  'submitted',
  'queued',
  'placed',
  'dispatched',
  'running',
  'succeeded',
  'failed',
  'cancelled',
  'timed-out',
];

const TERMINAL: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'timed-out']);

export function isTerminal(s: JobState): boolean {
  return TERMINAL.has(s);
}
