/** Time a resumed run gets on top of the limit it has left, to restore its checkpoint. */
export const RESUME_ALLOWANCE_MS = 5 * 60_000;

/**
 * The time limit of a job's next run, ms, given its spec's limit (null = none) and the time of its earlier runs
 * that were stopped (preemption, a lost site): the spec's limit for a first run; after stopped runs, the limit
 * left (at least a minute) plus RESUME_ALLOWANCE_MS, never more than the spec's limit. The exchange plans with it
 * and the site enforces it; the simulator plans and cuts resumed runs the same way.
 */
export function limitForRun(limitMs: number | null, priorRunMs: number): number | null {
  if (limitMs === null) return null;
  if (priorRunMs <= 0) return limitMs;
  return Math.min(limitMs, Math.max(60_000, limitMs - priorRunMs) + RESUME_ALLOWANCE_MS);
}
