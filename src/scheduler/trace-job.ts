import type { Jurisdiction } from '../policy/types.js';

/** One job of a replayed trace. Seconds. `durationS` is ground truth the simulator alone sees. */
export interface TraceJob {
  readonly id: string;
  readonly org: string;
  readonly submitS: number;
  /** Fractional values share one GPU's capacity (openb gpu_milli / 1000). */
  readonly gpus: number;
  readonly durationS: number;
  /** Allowed GPU types; empty = any. */
  readonly gpuTypes: readonly string[];
  readonly dataJurisdiction: Jurisdiction | null;
  /** False: the job must run in `dataJurisdiction`. */
  readonly dataMovable: boolean;
  /** The user's requested limit (what schedulers see); null = no limit. */
  readonly timeLimitS: number | null;
  readonly priority: number;
  /** The job checkpoints: the scheduler may stop it and resume it later. Absent = false. */
  readonly preemptible?: boolean;
}

/** mulberry32: a small, seeded PRNG so synthesized traces are reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Gives jobs without a limit a noisy over-estimate, as users request: ceil(duration x U(minFactor, maxFactor)).
 * Defaults 1..3, seed 1. Jobs with a limit keep it.
 */
export function synthesizeTimeLimits(
  jobs: readonly TraceJob[],
  opts: { seed?: number; minFactor?: number; maxFactor?: number } = {},
): TraceJob[] {
  const rnd = seededRandom(opts.seed ?? 1);
  const lo = opts.minFactor ?? 1;
  const hi = opts.maxFactor ?? 3;
  return jobs.map((j) => {
    const f = lo + (hi - lo) * rnd();
    return j.timeLimitS !== null ? j : { ...j, timeLimitS: Math.ceil(j.durationS * f) };
  });
}

/**
 * Pins a seeded `share` of jobs to a jurisdiction (their data may not move); the rest get a home jurisdiction
 * but may move. Jurisdictions alternate at random between those given (default SZ, HK).
 */
export function pinResidency(
  jobs: readonly TraceJob[],
  opts: { share: number; seed?: number; jurisdictions?: readonly Jurisdiction[] },
): TraceJob[] {
  const rnd = seededRandom(opts.seed ?? 2);
  const js = opts.jurisdictions ?? (['SZ', 'HK'] as const);
  return jobs.map((j) => {
    const pinned = rnd() < opts.share;
    const where = js[Math.floor(rnd() * js.length)] as Jurisdiction;
    return { ...j, dataJurisdiction: where, dataMovable: !pinned };
  });
}

/** Divides every submit time by `factor` (> 1 raises the offered load; durations are unchanged). */
export function compressArrivals(jobs: readonly TraceJob[], factor: number): TraceJob[] {
  return jobs.map((j) => ({ ...j, submitS: j.submitS / factor }));
}
