/**
 * Plan search for the head of the queue. The tick's rank order is Smith's rule (GPU-time over weight), which
 * minimizes the weighted sum of completion times for one machine and ignores what a cluster of pools adds: a wide
 * job needs a pool drained, and small jobs started now can leave it waiting long after. The search plans the
 * first `window` jobs as a whole: a serial schedule in a given order (each job at the earliest time its GPUs are
 * free for its whole limit, in the pool where that is soonest, given the running jobs' planned ends and the jobs
 * placed before it), scored by the weighted sum of planned completions, and improved by moving one job at a time
 * to another position, keeping a move that scores better. The pass then starts and reserves in that order.
 *
 * Deterministic: moves come from a fixed-seed generator, so one input gives one order.
 */

import { loadEnds, type Pool, toMilli } from './cluster-pools.js';
import { type FairShare, fairShareLog2 } from './fair-share.js';
import type { RunningAllocation } from './placement-facts.js';
import type { TickJob, TickOptions } from './tick-types.js';

/** A job as the plan sees it; times in ms, capacity in milli-GPUs. */
export interface PlanJob {
  readonly need: number;
  /** Its time limit: the plan holds the GPUs this long. */
  readonly length: number;
  /** Weight of its completion time in the objective (priority, aging and fair share). */
  readonly weight: number;
  /** Indices into the pools passed to `searchOrder` where it may run, preferred first (ties go to the first). */
  readonly pools: readonly number[];
}

/** A pool's free capacity now and its planned releases [time, milli], ascending. */
export interface PlanPool {
  readonly free: number;
  readonly ends: readonly (readonly [number, number])[];
}

/** Free capacity as a step function: free[k] holds on [at[k], at[k+1]); the last step lasts forever. */
class Profile {
  constructor(
    readonly at: number[],
    readonly free: number[],
  ) {}

  static of(p: PlanPool, now: number): Profile {
    const at = [now];
    const free = [p.free];
    for (const [t, m] of p.ends) {
      const last = at.length - 1;
      if (t <= (at[last] as number)) free[last] = (free[last] as number) + m;
      else {
        at.push(t);
        free.push((free[last] as number) + m);
      }
    }
    return new Profile(at, free);
  }

  copy(): Profile {
    return new Profile(this.at.slice(), this.free.slice());
  }

  /** Earliest start at which `need` stays free for `length`, or +Infinity when never. */
  earliest(need: number, length: number): number {
    const { at, free } = this;
    let k = 0;
    while (k < at.length) {
      if ((free[k] as number) < need) {
        k++;
        continue;
      }
      const start = at[k] as number;
      const until = start + length;
      let m = k + 1;
      while (m < at.length && (at[m] as number) < until && (free[m] as number) >= need) m++;
      if (m >= at.length || (at[m] as number) >= until) return start;
      k = m + 1;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Index of the step starting exactly at `t`, splitting the step that holds `t` when needed. */
  #split(t: number): number {
    const { at, free } = this;
    let k = at.length - 1;
    while (k > 0 && (at[k] as number) > t) k--;
    if (at[k] === t) return k;
    at.splice(k + 1, 0, t);
    free.splice(k + 1, 0, free[k] as number);
    return k + 1;
  }

  take(start: number, length: number, need: number): void {
    const a = this.#split(start);
    const end = start + length;
    const b = Number.isFinite(end) ? this.#split(end) : this.at.length;
    for (let k = a; k < b; k++) this.free[k] = (this.free[k] as number) - need;
  }
}

/** Where and when the serial schedule puts a job: its start (ms) and its pool (an index into the pools). */
export interface PlannedStart {
  readonly at: number;
  readonly pool: number;
}

/**
 * Serial schedule of `order`: the weighted sum of planned completions (ms after now), +Infinity if some job never
 * fits. Fills `out[i]` with job i's start when given.
 */
function score(
  jobs: readonly PlanJob[],
  order: readonly number[],
  base: readonly Profile[],
  now: number,
  out?: PlannedStart[],
): number {
  const prof = new Map<number, Profile>();
  let sum = 0;
  for (const i of order) {
    const j = jobs[i] as PlanJob;
    let best = Number.POSITIVE_INFINITY;
    let bestPool = -1;
    for (const p of j.pools) {
      const at = (prof.get(p) ?? (base[p] as Profile)).earliest(j.need, j.length);
      if (at < best) {
        best = at;
        bestPool = p;
      }
    }
    if (bestPool < 0) return Number.POSITIVE_INFINITY;
    if (out) out[i] = { at: best, pool: bestPool };
    let pr = prof.get(bestPool);
    if (!pr) {
      pr = (base[bestPool] as Profile).copy();
      prof.set(bestPool, pr);
    }
    pr.take(best, j.length, j.need);
    sum += j.weight * (best + j.length - now);
  }
  return sum;
}

/** The serial schedule of `order` and its weighted sum of planned completions (ms after now). */
export function serialSchedule(
  jobs: readonly PlanJob[],
  pools: readonly PlanPool[],
  now: number,
  order: readonly number[],
): { readonly starts: readonly PlannedStart[]; readonly cost: number } {
  const starts: PlannedStart[] = [];
  const cost = score(
    jobs,
    order,
    pools.map((p) => Profile.of(p, now)),
    now,
    starts,
  );
  return { starts, cost };
}

/** What the search settles on: an order of indices into `jobs`, and whether each job starts now in it. */
export interface Plan {
  readonly order: readonly number[];
  readonly startsNow: readonly boolean[];
}

/**
 * Searches from the given order (0..n-1), trying `iterations` moves; 0 keeps the given order. null when some job
 * never fits (a pool held by jobs without a limit): there is no plan to follow then.
 */
export function searchOrder(
  jobs: readonly PlanJob[],
  pools: readonly PlanPool[],
  now: number,
  iterations: number,
): Plan | null {
  let order = jobs.map((_, i) => i);
  const n = order.length;
  const base = pools.map((p) => Profile.of(p, now));
  const out: PlannedStart[] = [];
  let best = score(jobs, order, base, now, out);
  if (!Number.isFinite(best)) return null;
  const startsNow = (): boolean[] => jobs.map((_, i) => out[i]?.at === now);
  // Every job starts now: no order does better.
  if (n < 2 || iterations <= 0 || best <= jobs.reduce((a, j) => a + j.weight * j.length, 0))
    return { order, startsNow: startsNow() };
  let s = 0x9e3779b9;
  const next = (m: number): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % m;
  };
  for (let it = 0; it < iterations; it++) {
    const a = next(n);
    const b = next(n);
    if (a === b) continue;
    const o = order.slice();
    const [x] = o.splice(a, 1) as [number];
    o.splice(b, 0, x);
    const v = score(jobs, o, base, now);
    if (v < best) {
      best = v;
      order = o;
    }
  }
  score(jobs, order, base, now, out);
  return { order, startsNow: startsNow() };
}

/**
 * What the plan says of a job: it starts now; starts now ahead of a job ranked before it; starts later; or starts
 * later though a job ranked after it starts now (held back by the plan).
 */
export type PlanStart = 'now' | 'ahead' | 'later' | 'held';

export interface PlanContext {
  readonly now: number;
  readonly o: TickOptions;
  readonly fs: FairShare | null;
  readonly pools: Pool[];
  /** Every pool the job may use by type and residency. */
  readonly poolsOf: (j: TickJob) => readonly Pool[];
  readonly running: readonly RunningAllocation[];
  readonly borrows: (j: TickJob) => boolean;
  readonly preference: (j: TickJob, a: Pool, b: Pool) => number;
}

/**
 * The head of the queue planned as a whole (plan-search.ts): the first `planWindow` jobs in rank order that have
 * a limit, ask for GPUs, fit some pool and stay within their organization's share. Reorders them in `order`
 * among their own positions and says for each whether the plan starts it now. Loads the pools' planned ends.
 */
export function planHead(order: TickJob[], c: PlanContext): Map<TickJob, PlanStart> {
  const { now, o } = c;
  const at: number[] = [];
  const jobs: PlanJob[] = [];
  const exps: number[] = [];
  const poolIndex = new Map<Pool, number>();
  const planPools: Pool[] = [];
  for (let i = 0; i < order.length && at.length < o.planWindow; i++) {
    const j = order[i] as TickJob;
    const need = toMilli(j.gpus);
    if (need <= 0 || j.timeLimit === null || c.borrows(j)) continue;
    const cs = c.poolsOf(j).filter((p) => p.total >= need);
    if (cs.length === 0) continue;
    cs.sort((a, b) => c.preference(j, a, b));
    const ps = cs.map((p) => {
      let k = poolIndex.get(p);
      if (k === undefined) {
        k = planPools.length;
        poolIndex.set(p, k);
        planPools.push(p);
      }
      return k;
    });
    // Smith's rule: the rank key is log2(GPU-time) - log2(weight), so the weight is 2^(what the key subtracts).
    exps.push(j.priority / 2 - fairShareLog2(c.fs, j.org) + Math.max(0, now - j.submittedAt) / o.aging);
    at.push(i);
    jobs.push({ need, length: j.timeLimit, weight: 0, pools: ps });
  }
  const planned = new Map<TickJob, PlanStart>();
  if (jobs.length < 2) return planned;
  loadEnds(c.pools, c.running, now);
  const top = Math.max(...exps);
  const plan = searchOrder(
    jobs.map((j, k) => ({ ...j, weight: 2 ** ((exps[k] as number) - top) })),
    planPools.map((p) => ({ free: p.free, ends: p.ends ?? [] })),
    now,
    o.planIterations,
  );
  if (plan === null) return planned;
  const head = at.map((i) => order[i] as TickJob);
  plan.order.forEach((k, n) => {
    order[at[n] as number] = head[k] as TickJob;
  });
  // A job the plan moved ahead of a job ranked before it, starting now while that one starts later, is started
  // ahead; that job is held back. (Starting now behind such a job in the plan is ordinary backfill.)
  const pos = new Array<number>(head.length);
  plan.order.forEach((k, n) => {
    pos[k] = n;
  });
  const starts = plan.startsNow;
  head.forEach((j, k) => {
    let p: PlanStart = starts[k] ? 'now' : 'later';
    for (let x = 0; x < head.length; x++) {
      const jumped = starts[k] ? x < k && !starts[x] && (pos[x] as number) > (pos[k] as number) : false;
      const jumper = !starts[k] && x > k && starts[x] && (pos[x] as number) < (pos[k] as number);
      if (jumped) p = 'ahead';
      if (jumper) p = 'held';
      if (jumped || jumper) break;
    }
    planned.set(j, p);
  });
  return planned;
}
