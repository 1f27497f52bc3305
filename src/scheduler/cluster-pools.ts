import type { Jurisdiction } from '../policy/types.js';
import type { GpuPool, RunningAllocation } from './placement-facts.js';

/** A site as the queue tick sees it: its pools' capacity and its net price for ranking. */
export interface TickSite {
  readonly id: string;
  readonly jurisdiction: Jurisdiction;
  readonly pools: readonly GpuPool[];
  /** Price per GPU-hour after subsidy, for choosing among equally good pools. Default 0. */
  readonly netPricePerGpuHour?: number;
}

/** EASY reservation on a pool: the reserved job starts at `shadow`; `extra` milli-GPUs are spare then. */
interface Reservation {
  readonly jobId: string;
  readonly shadow: number;
  extra: number;
}

/**
 * One (site, GPU type) pool. Capacity in milli-GPUs (integers; fractional GPUs share a pool's capacity, node-level
 * fragmentation is not modelled). Type '' is each site's CPU-only pool, matched only by jobs asking for 0 GPUs.
 */
export interface Pool {
  readonly index: number;
  readonly siteId: string;
  readonly siteOrder: number;
  readonly jurisdiction: Jurisdiction;
  readonly type: string;
  readonly total: number;
  free: number;
  readonly price: number;
  reservation: Reservation | null;
  /** Planned releases [end ms, milli] sorted ascending; built lazily (only reservations need them). */
  ends: Array<[number, number]> | null;
}

export const toMilli = (gpus: number): number => Math.round(gpus * 1000);

export function buildPools(sites: readonly TickSite[]): Pool[] {
  const pools: Pool[] = [];
  sites.forEach((s, siteOrder) => {
    const base = { siteId: s.id, siteOrder, jurisdiction: s.jurisdiction, price: s.netPricePerGpuHour ?? 0 };
    for (const g of s.pools) {
      if (g.total <= 0) continue;
      const total = toMilli(g.total);
      pools.push({
        ...base,
        index: pools.length,
        type: g.type,
        total,
        free: Math.max(0, Math.min(total, toMilli(g.free))),
        reservation: null,
        ends: null,
      });
    }
    const inf = Number.POSITIVE_INFINITY;
    pools.push({ ...base, index: pools.length, type: '', total: inf, free: inf, reservation: null, ends: null });
  });
  return pools;
}

/** Fills every pool's `ends` from the running allocations (once per tick, on first need). */
export function loadEnds(pools: Pool[], running: readonly RunningAllocation[], now: number): void {
  const bySite = new Map<string, Map<string, Pool>>();
  for (const p of pools) {
    p.ends = [];
    let m = bySite.get(p.siteId);
    if (!m) {
      m = new Map();
      bySite.set(p.siteId, m);
    }
    m.set(p.type, p);
  }
  for (const r of running) {
    if (r.expectedEnd === null) continue;
    bySite
      .get(r.siteId)
      ?.get(r.gpuType)
      ?.ends?.push([Math.max(r.expectedEnd, now), toMilli(r.gpus)]);
  }
  for (const p of pools) p.ends?.sort((a, b) => a[0] - b[0]);
}

/** Adds a release to a pool's sorted `ends` (a job started this tick). */
export function addEnd(p: Pool, end: number, milli: number): void {
  if (!p.ends) return;
  let i = p.ends.length;
  while (i > 0 && (p.ends[i - 1] as [number, number])[0] > end) i--;
  p.ends.splice(i, 0, [end, milli]);
}

/** Earliest time `need` milli-GPUs are free in `p` from planned releases; null when never (unlimited jobs). */
export function earliestStart(p: Pool, need: number, now: number): { at: number; extra: number } | null {
  if (p.free >= need) return { at: now, extra: p.free - need };
  if (p.total < need || !p.ends) return null;
  let f = p.free;
  for (const [end, milli] of p.ends) {
    f += milli;
    if (f >= need) return { at: end, extra: f - need };
  }
  return null;
}

/** Whether starting a job of `need` milli-GPUs ending by `end` (null = unknown) in `p` now keeps its reservation. */
export function respectsReservation(p: Pool, need: number, end: number | null): boolean {
  const r = p.reservation;
  if (r === null) return true;
  if (end !== null && end <= r.shadow) return true;
  return need <= r.extra;
}

/** Takes capacity for a start; consumes reservation slack when the job outlives the shadow time. */
export function take(p: Pool, need: number, end: number | null): void {
  p.free -= need;
  const r = p.reservation;
  if (r && !(end !== null && end <= r.shadow)) r.extra -= need;
  if (end !== null) addEnd(p, end, need);
}

export function reserve(p: Pool, jobId: string, at: number, extra: number): void {
  p.reservation = { jobId, shadow: at, extra };
}
