import {
  addEnd,
  buildPools,
  earliestSlot,
  earliestStart,
  loadEnds,
  type Pool,
  reserve,
  respectsReservation,
  take,
  toMilli,
} from './cluster-pools.js';
import { type FairShare, fairShareLog2, quotaGpus } from './fair-share.js';
import { type PlanStart, planHead } from './plan-search.js';
import { type Preemption, preemptAfterPass } from './preemption.js';
import {
  DEFAULT_TICK_OPTIONS,
  type StartDecision,
  type TickInput,
  type TickJob,
  type TickOptions,
  type TickReservation,
  type TickResult,
} from './tick-types.js';

export * from './tick-types.js';

/** Rank key in log2 space (lower runs first): log2(limit s x GPUs) - priority/2 + fair share - wait/aging. */
export function rankKey(j: TickJob, now: number, fs: FairShare | null | undefined, o: TickOptions): number {
  const limit = Math.max(1000, j.timeLimit ?? o.noLimitRank) * (o.byGpuTime ? Math.max(1, j.gpus) : 1);
  return (
    Math.log2(limit / 1000) - j.priority / 2 + fairShareLog2(fs, j.org) - Math.max(0, now - j.submittedAt) / o.aging
  );
}

class Candidates {
  readonly #byAllowed = new Map<ReadonlySet<string> | null, Map<string, Pool[]>>();
  constructor(readonly pools: readonly Pool[]) {}
  of(j: TickJob): Pool[] {
    let m = this.#byAllowed.get(j.allowedSites);
    if (!m) {
      m = new Map();
      this.#byAllowed.set(j.allowedSites, m);
    }
    const cpu = j.gpus <= 0;
    const key = cpu ? '' : `g${j.gpuTypes.join('|')}`;
    let c = m.get(key);
    if (!c) {
      c = this.pools.filter(
        (p) =>
          (j.allowedSites === null || j.allowedSites.has(p.siteId)) &&
          (cpu ? p.type === '' : p.type !== '' && (j.gpuTypes.length === 0 || j.gpuTypes.includes(p.type))),
      );
      m.set(key, c);
    }
    return c;
  }
}

/**
 * One scheduling pass over the queue: which queued jobs start now, and where. Pure; the server calls it every
 * tick with the queue and the sites' free capacity, and the simulator calls the same function at every event.
 */
export function scheduleTick(input: TickInput): TickResult {
  const o: TickOptions = { ...DEFAULT_TICK_OPTIONS, ...input.options };
  const { now, scheduler } = input;
  const pools = buildPools(input.sites);
  const cands = new Candidates(pools);
  const starts: StartDecision[] = [];
  const reservations: TickReservation[] = [];
  const unplaceable: string[] = [];

  const end = (j: TickJob): number | null => (j.timeLimit === null ? null : now + j.timeLimit);
  const fits = (j: TickJob, p: Pool, need: number): boolean => p.free >= need && respectsReservation(p, need, end(j));

  if (scheduler !== 'hetao') {
    const order = [...input.queue].sort((a, b) => a.submittedAt - b.submittedAt || (a.id < b.id ? -1 : 1));
    for (const j of order) {
      const need = toMilli(j.gpus);
      const cs = cands.of(j).filter((p) => p.total >= need);
      if (cs.length === 0) {
        unplaceable.push(j.id);
        continue;
      }
      const p = cs.find((x) => x.free >= need);
      if (p) {
        take(p, need, null);
        starts.push({
          jobId: j.id,
          siteId: p.siteId,
          gpuType: p.type,
          gpus: j.gpus,
          borrowed: false,
          backfilled: false,
          plannedAhead: false,
        });
      } else if (scheduler === 'fifo') break;
    }
    return { starts, reservations, unplaceable, preemptions: [], shares: null, heldByPlan: [] };
  }

  const fs = input.fairShare ?? null;
  const q = input.queue;
  const keys = new Float64Array(q.length);
  for (let i = 0; i < q.length; i++) keys[i] = rankKey(q[i] as TickJob, now, fs, o);
  const idx = Array.from({ length: q.length }, (_, i) => i).sort(
    (a, b) =>
      (keys[a] as number) - (keys[b] as number) || (q[a] as TickJob).submittedAt - (q[b] as TickJob).submittedAt,
  );
  const order = idx.map((i) => q[i] as TickJob);
  const gpuPools = pools.filter((p) => p.type !== '');
  const maxFree = (): number => gpuPools.reduce((m, p) => Math.max(m, p.free), 0);
  let freeMax = maxFree();
  const depth = Math.max(1, Math.floor(o.reservationsPerPool));
  const reservable = Math.min(o.maxReservations, depth * gpuPools.length);

  // Packing by GPU type: jobs free to use any type avoid types that type-constrained queued jobs need most.
  const typeTotal = new Map<string, number>();
  for (const p of pools) if (p.type !== '') typeTotal.set(p.type, (typeTotal.get(p.type) ?? 0) + p.total);
  const pressure = new Map<string, number>();
  for (const j of input.queue) {
    if (j.gpuTypes.length === 0) continue;
    for (const t of j.gpuTypes) pressure.set(t, (pressure.get(t) ?? 0) + toMilli(j.gpus) / j.gpuTypes.length);
  }
  const pressureOf = (t: string): number => Math.round((10 * (pressure.get(t) ?? 0)) / (typeTotal.get(t) ?? 1));

  // Quotas: GPUs held per organization, counting starts made in this tick.
  let totalGpus = 0;
  for (const p of pools) if (p.type !== '') totalGpus += p.total / 1000;
  const held = new Map<string, number>();
  for (const r of input.running) held.set(r.org, (held.get(r.org) ?? 0) + r.gpus);
  const borrows = (j: TickJob): boolean => (held.get(j.org) ?? 0) + j.gpus > quotaGpus(fs, j.org, totalGpus) + 1e-9;

  // Where several pools give the same start, the plan prefers what the pass does below: no data movement, GPU
  // types other jobs need less, price, then the fullest.
  const preference = (j: TickJob, a: Pool, b: Pool): number => {
    const moves = (p: Pool): number => (j.dataJurisdiction !== null && p.jurisdiction !== j.dataJurisdiction ? 1 : 0);
    const typeCost = (p: Pool): number => (j.gpuTypes.length === 1 ? 0 : pressureOf(p.type));
    return moves(a) - moves(b) || typeCost(a) - typeCost(b) || a.price - b.price || a.free - b.free;
  };
  // Jobs the plan covers and when each starts (one that starts later is reserved).
  const planned =
    o.planWindow > 0 && o.planIterations > 0
      ? planHead(order, { now, o, fs, pools, poolsOf: (j) => cands.of(j), running: input.running, borrows, preference })
      : new Map<TickJob, PlanStart>();
  let endsLoaded = planned.size > 0;

  // Smallest demand among the jobs from position i on: once it exceeds every pool's free capacity and every pool
  // holds its reservations, nothing further can start or reserve.
  const suffixMin = new Float64Array(order.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let i = order.length - 1; i >= 0; i--)
    suffixMin[i] = Math.min(suffixMin[i + 1] as number, toMilli((order[i] as TickJob).gpus));

  // Drain steering. A queued job too wide to start in any pool now (blocked) will start in the pool its running
  // jobs' planned ends free first: that pool is draining for it. A job that can start now in another pool as well
  // goes there instead of into the draining pool when it would still hold GPUs there at that time: it starts now
  // either way, while landing in the draining pool would push the blocked job back by up to this job's whole limit
  // and keep the drained GPUs idle meanwhile. This ranks before data locality (a movable job's data may cross, as
  // residency already allowed) and price. Blocked jobs considered: the first `reservable` in rank order, the jobs
  // this pass protects with reservations. No parameter: it only picks among pools where the job starts now.
  // Without it, two half-busy sites serve small jobs while wide ones wait for a whole free site that never comes
  // (Tiresias replay at compress 1: 8-GPU jobs waited up to ~1,000 s while up to 11 of 16 GPUs sat idle).
  const drainAt = new Map<Pool, number>();
  const freeIn = new Map<readonly Pool[], number>();
  for (let i = 0, blocked = 0; i < order.length && blocked < reservable; i++) {
    const j = order[i] as TickJob;
    const need = toMilli(j.gpus);
    if (need <= 0) continue;
    // An unconstrained job fits if the freest pool holds it; a constrained one is judged on its own pools.
    if (need <= freeMax && j.allowedSites === null && j.gpuTypes.length === 0) continue;
    const all = cands.of(j);
    let f = freeIn.get(all);
    if (f === undefined) {
      f = all.reduce((m, p) => Math.max(m, p.free), 0);
      freeIn.set(all, f);
    }
    if (need <= f) continue;
    const cs = all.filter((p) => p.total >= need);
    if (cs.length === 0) continue;
    if (!endsLoaded) {
      loadEnds(pools, input.running, now);
      endsLoaded = true;
    }
    blocked++;
    let first: Pool | null = null;
    let at = Number.POSITIVE_INFINITY;
    for (const p of cs) {
      const e = earliestStart(p, need, now);
      if (e !== null && e.at < at) {
        at = e.at;
        first = p;
      }
    }
    if (first !== null && at < (drainAt.get(first) ?? Number.POSITIVE_INFINITY)) drainAt.set(first, at);
  }
  const delaysDrain = (j: TickJob, p: Pool): number => {
    const at = drainAt.get(p);
    if (at === undefined) return 0;
    const e = end(j);
    return e !== null && e <= at ? 0 : 1;
  };

  const better = (j: TickJob, a: Pool, b: Pool, need: number): boolean => {
    const da = delaysDrain(j, a);
    const db = delaysDrain(j, b);
    if (da !== db) return da < db;
    const ma = a.jurisdiction !== j.dataJurisdiction && j.dataJurisdiction !== null ? 1 : 0;
    const mb = b.jurisdiction !== j.dataJurisdiction && j.dataJurisdiction !== null ? 1 : 0;
    if (ma !== mb) return ma < mb;
    if (j.gpuTypes.length !== 1) {
      const pa = pressureOf(a.type);
      const pb = pressureOf(b.type);
      if (pa !== pb) return pa < pb;
    }
    if (a.price !== b.price) return a.price < b.price;
    return a.free - need < b.free - need;
  };

  let reserved = 0;
  const heldByPlan: string[] = [];
  const deferred: TickJob[] = [];
  const startedHere: Array<[Pool, number, number]> = [];
  const capFail = new Map<readonly Pool[], number>();
  const fullyReserved = new Set<readonly Pool[]>();
  const tryStart = (j: TickJob, cs: readonly Pool[], need: number, borrowed: boolean): boolean => {
    let best: Pool | null = null;
    for (const p of cs) if (fits(j, p, need) && (best === null || better(j, p, best, need))) best = p;
    if (best === null) return false;
    const plannedAhead = planned.get(j) === 'ahead';
    const backfilled = !plannedAhead && best.reservations.length > 0;
    const e = end(j);
    take(best, need, e);
    if (!endsLoaded && e !== null) startedHere.push([best, e, need]);
    held.set(j.org, (held.get(j.org) ?? 0) + j.gpus);
    starts.push({
      jobId: j.id,
      siteId: best.siteId,
      gpuType: best.type,
      gpus: j.gpus,
      borrowed,
      backfilled,
      plannedAhead,
    });
    return true;
  };

  let planLeft = planned.size;
  for (let i = 0; i < order.length; i++) {
    const j = order[i] as TickJob;
    const need = toMilli(j.gpus);
    const plan = planned.get(j);
    if (plan !== undefined) planLeft--;
    if (
      (suffixMin[i] as number) > 0 &&
      (suffixMin[i] as number) > freeMax &&
      reserved >= reservable &&
      planLeft === 0 &&
      plan === undefined
    ) {
      for (let k = i; k < order.length; k++) {
        const x = order[k] as TickJob;
        if (!cands.of(x).some((p) => p.total >= toMilli(x.gpus))) unplaceable.push(x.id);
      }
      break;
    }
    const all = cands.of(j);
    if (plan === undefined && need > (capFail.get(all) ?? Number.POSITIVE_INFINITY) && reserved >= reservable) continue;
    const cs = all.filter((p) => p.total >= need);
    if (cs.length === 0) {
      unplaceable.push(j.id);
      continue;
    }
    if (borrows(j)) {
      deferred.push(j);
      continue;
    }
    const later = plan === 'later' || plan === 'held';
    if (!later && need <= freeMax && need < (capFail.get(all) ?? Number.POSITIVE_INFINITY)) {
      if (tryStart(j, cs, need, false)) {
        if (need > 0) freeMax = maxFree();
        continue;
      }
      // Free capacity only shrinks within a tick: no job with these candidates and at least this demand fits.
      if (!cs.some((p) => p.free >= need)) capFail.set(all, need);
    } else if (plan === 'held') heldByPlan.push(j.id);
    if (reserved >= o.maxReservations || (plan === undefined && fullyReserved.has(all))) continue;
    if (!endsLoaded) {
      loadEnds(pools, input.running, now);
      for (const [p, e, m] of startedHere) addEnd(p, e, m);
      endsLoaded = true;
    }
    const length = j.timeLimit ?? Number.POSITIVE_INFINITY;
    let bestRes: { p: Pool; at: number } | null = null;
    for (const p of cs) {
      if (plan === undefined && p.reservations.length >= depth) continue;
      const at = earliestSlot(p, need, length, now);
      if (at !== null && (bestRes === null || at < bestRes.at)) bestRes = { p, at };
    }
    if (bestRes) {
      reserve(bestRes.p, j.id, bestRes.at, need, length);
      reservations.push({ jobId: j.id, siteId: bestRes.p.siteId, gpuType: bestRes.p.type, at: bestRes.at });
      reserved++;
    }
    if (cs.every((p) => p.reservations.length >= depth)) fullyReserved.add(all);
  }
  // Preemption, after the pass and before borrowers: a job that could not start takes the free capacity it
  // finds plus what the stops free, and starts at once in that pool.
  const preemptions: Preemption[] = [];
  if (o.preemption && input.running.some((r) => r.preemptible)) {
    const started = new Set(starts.map((s) => s.jobId));
    const claimants = order
      .filter((j) => !started.has(j.id))
      .map((j) => {
        const need = toMilli(j.gpus);
        const pools = cands.of(j).filter((p) => p.total >= need);
        return { ...j, need, end: end(j), pools };
      });
    const quota = (org: string) => quotaGpus(fs, org, totalGpus);
    for (const c of preemptAfterPass(claimants, input.running, held, quota, now, o.aging)) {
      preemptions.push(...c.victims);
      const { jobId, gpus, borrowed } = c;
      const start = { jobId, siteId: c.pool.siteId, gpuType: c.pool.type, gpus, borrowed };
      starts.push({ ...start, backfilled: false, plannedAhead: false });
    }
  }
  // Borrowers last, on what is left (one that stopped a lower-priority job of its own has started already).
  const claimed = new Set(preemptions.map((p) => p.forJobId));
  for (let i = reservations.length - 1; i >= 0; i--)
    if (claimed.has((reservations[i] as TickReservation).jobId)) reservations.splice(i, 1);
  for (const j of deferred) {
    if (claimed.has(j.id)) continue;
    const need = toMilli(j.gpus);
    tryStart(j, cands.of(j), need, true);
  }
  return { starts, reservations, unplaceable, preemptions, shares: fs ? { held, totalGpus } : null, heldByPlan };
}
