/**
 * Fair share: each organization's guaranteed share of all GPUs (quota), and its recent usage decayed with a
 * half-life. Pure values; the caller keeps the current FairShare and replaces it with what these functions return.
 */
export interface FairShare {
  /** Guaranteed fraction of all GPUs per organization (sums to <= 1). Empty = no quotas: nobody borrows. */
  readonly quotas: ReadonlyMap<string, number>;
  /** Decayed usage per organization, GPU-milliseconds as of `asOf`. */
  readonly usage: ReadonlyMap<string, number>;
  /** ms since epoch of the last decay. */
  readonly asOf: number;
  /** Usage half-life, ms. Default 7 days. */
  readonly halfLife: number;
}

export const DEFAULT_HALF_LIFE_MS = 7 * 24 * 3600 * 1000;

export function createFairShare(
  quotas: ReadonlyMap<string, number> | Record<string, number> = new Map(),
  asOf = 0,
  halfLife = DEFAULT_HALF_LIFE_MS,
): FairShare {
  const q = quotas instanceof Map ? quotas : new Map(Object.entries(quotas));
  return { quotas: q, usage: new Map(), asOf, halfLife };
}

/** Usage as of `now`: every value multiplied by 2^(-(now - asOf) / halfLife). */
export function decayUsage(fs: FairShare, now: number): FairShare {
  if (now <= fs.asOf) return fs;
  const k = 2 ** (-(now - fs.asOf) / fs.halfLife);
  const usage = new Map<string, number>();
  for (const [org, u] of fs.usage) if (u * k > 1e-6) usage.set(org, u * k);
  return { ...fs, usage, asOf: now };
}

/** Adds `gpuMs` of use by `org` at `now` (decaying the rest first). */
export function recordUsage(fs: FairShare, org: string, gpuMs: number, now: number): FairShare {
  const d = decayUsage(fs, now);
  const usage = new Map(d.usage);
  usage.set(org, (usage.get(org) ?? 0) + gpuMs);
  return { ...d, usage };
}

/**
 * log2 of the fair-share penalty for ranking: 0 at exactly the quota, +1 per quota's worth of excess usage share,
 * clamped to [-2, 2] so fair share can reorder but never starve (aging still wins). 0 when no quotas are set.
 */
export function fairShareLog2(fs: FairShare | null | undefined, org: string): number {
  if (!fs || fs.quotas.size === 0) return 0;
  let total = 0;
  for (const u of fs.usage.values()) total += u;
  const quota = fs.quotas.get(org) ?? 0;
  const share = total > 0 ? (fs.usage.get(org) ?? 0) / total : 0;
  const x = (share - quota) / Math.max(quota, 0.05);
  return Math.max(-2, Math.min(2, x));
}

/** GPUs `org` may hold without borrowing; Infinity when no quotas are set. */
export function quotaGpus(fs: FairShare | null | undefined, org: string, totalGpus: number): number {
  if (!fs || fs.quotas.size === 0) return Number.POSITIVE_INFINITY;
  return (fs.quotas.get(org) ?? 0) * totalGpus;
}
