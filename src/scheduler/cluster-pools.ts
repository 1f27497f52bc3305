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

/**
 * A reservation on a pool: the job holds `milli` from `start` to `end` (Infinity = no limit). `extra` is the
 * capacity still free at `start` once every reservation active then is counted (the EASY "extra nodes",
 * kept for each reservation so several can coexist: conservative backfill over the reserved jobs).
 */
interface Reservation {
  readonly jobId: string;
  readonly start: number;
  readonly end: number;
  readonly milli: number;
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
  /** Reservations, by increasing start. Starts now may not take capacity any of them counts on. */
  reservations: Reservation[];
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
        free: Math.min(total, toMilli(g.free)),
        reservations: [],
        ends: null,
      });
    }
    const inf = Number.POSITIVE_INFINITY;
    pools.push({ ...base, index: pools.length, type: '', total: inf, free: inf, reservations: [], ends: null });
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

/** Whether starting a job of `need` milli-GPUs ending by `end` (null = unknown) in `p` now delays no reservation. */
export function respectsReservation(p: Pool, need: number, end: number | null): boolean {
  const e = end ?? Number.POSITIVE_INFINITY;
  for (const r of p.reservations) {
    if (r.start >= e) break;
    if (need > r.extra) return false;
  }
  return true;
}

/** Takes capacity for a start; consumes the slack of every reservation that begins before the job ends. */
export function take(p: Pool, need: number, end: number | null): void {
  p.free -= need;
  const e = end ?? Number.POSITIVE_INFINITY;
  for (const r of p.reservations) {
    if (r.start >= e) break;
    r.extra -= need;
  }
  if (end !== null) addEnd(p, end, need);
}

/**
 * Gives back capacity now that a running job planned to hold until `plannedEnd` (null = no limit): it is free at
 * once, and it adds slack to every reservation starting before that end (those had not counted on it). On an
 * over-committed pool (free below zero) the stop first pays back the surplus.
 */
export function release(p: Pool, milli: number, plannedEnd: number | null): void {
  p.free = Math.min(p.total, p.free + milli);
  for (const r of p.reservations) if (plannedEnd === null || plannedEnd > r.start) r.extra += milli;
}

/** Drops `jobId`'s reservation (it starts now after all), giving back what it took from later reservations. */
export function unreserve(p: Pool, jobId: string): void {
  const i = p.reservations.findIndex((r) => r.jobId === jobId);
  if (i < 0) return;
  const [res] = p.reservations.splice(i, 1) as [Reservation];
  for (const r of p.reservations) if (r.start >= res.start && r.start < res.end) r.extra += res.milli;
}

/**
 * Earliest time `need` milli-GPUs are free in `p` for `length` ms (Infinity = no limit) given planned releases
 * and the reservations already made, or null when never. Needs `ends` loaded.
 */
export function earliestSlot(p: Pool, need: number, length: number, now: number): number | null {
  if (p.total < need || !p.ends) return null;
  const rs = p.reservations;
  // Candidate starts: now, every planned release, every reservation's end (availability only rises there).
  const times = [now];
  for (const [t] of p.ends) if (t > now) times.push(t);
  for (const r of rs) if (r.end > now && r.end < Number.POSITIVE_INFINITY) times.push(r.end);
  times.sort((a, b) => a - b);
  let released = 0;
  let k = 0;
  const ends = p.ends;
  for (const t of times) {
    while (k < ends.length && (ends[k] as [number, number])[0] <= t) released += (ends[k++] as [number, number])[1];
    let f = p.free + released;
    for (const r of rs) if (r.start <= t && t < r.end) f -= r.milli;
    if (f < need) continue;
    const until = t + length;
    let ok = true;
    for (const r of rs) {
      if (r.start > t && r.start < until && r.extra < need) {
        ok = false;
        break;
      }
    }
    if (ok) return t;
  }
  return null;
}

/** Reserves `need` milli-GPUs of `p` from `at` for `length` ms; later-starting reservations lose that slack. */
export function reserve(p: Pool, jobId: string, at: number, need: number, length: number): void {
  const end = at + length;
  let released = 0;
  for (const [t, m] of p.ends ?? []) if (t <= at) released += m;
  let f = p.free + released;
  for (const r of p.reservations) {
    if (r.start <= at && at < r.end) f -= r.milli;
    if (r.start >= at && r.start < end) r.extra -= need;
  }
  const res: Reservation = { jobId, start: at, end, milli: need, extra: f - need };
  let i = p.reservations.length;
  while (i > 0 && (p.reservations[i - 1] as Reservation).start > at) i--;
  p.reservations.splice(i, 0, res);
}
