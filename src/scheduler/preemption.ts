import { type Pool, release, take, toMilli, unreserve } from './cluster-pools.js';
import type { RunningAllocation } from './placement-facts.js';

/** Why a running job is stopped: its organization borrowed the GPUs, or a job of its own ranks higher. */
export type PreemptionReason = 'reclaim' | 'priority';

/** A running preemptible job the tick stops and queues again, so that `forJobId` starts in its place. */
export interface Preemption {
  readonly jobId: string;
  readonly org: string;
  readonly siteId: string;
  readonly gpuType: string;
  readonly gpus: number;
  readonly forJobId: string;
  readonly reason: PreemptionReason;
}

/** A queued job that did not start in the pass, in rank order. */
export interface Claimant {
  readonly id: string;
  readonly org: string;
  readonly priority: number;
  readonly submittedAt: number;
  readonly gpus: number;
  /** milli-GPUs. */
  readonly need: number;
  /** When it would end (now + its limit), ms; null = no limit. */
  readonly end: number | null;
  /** Pools that could ever hold it (allowed site, GPU type, size). */
  readonly pools: readonly Pool[];
}

/** Where a claimant starts once the victims are stopped. */
export interface Claim {
  readonly jobId: string;
  readonly pool: Pool;
  readonly gpus: number;
  readonly victims: readonly Preemption[];
  /** With it, its organization holds more than its share (it stopped lower-priority jobs of its own). */
  readonly borrowed: boolean;
}

/**
 * The preemption step of a scheduling pass: chooses the claims (below) and applies them to the pass's pools —
 * victims' GPUs released, the claimant's own reservations dropped, its GPUs taken — and to `held` (GPUs per
 * organization, updated in place). The caller stops the victims and starts the claimants.
 */
export function preemptAfterPass(
  claimants: readonly Claimant[],
  running: readonly RunningAllocation[],
  held: Map<string, number>,
  quota: (org: string) => number,
  now: number,
  agingMs: number,
): Claim[] {
  const out: Claim[] = [];
  for (const c of choosePreemptions(claimants, running, held, quota, now, agingMs)) {
    const j = c.claimant;
    for (const r of c.stops) {
      release(c.pool, toMilli(r.gpus), r.expectedEnd);
      held.set(r.org, (held.get(r.org) ?? 0) - r.gpus);
    }
    for (const p of j.pools) unreserve(p, j.id);
    const borrowed = (held.get(j.org) ?? 0) + j.gpus > quota(j.org) + 1e-9;
    take(c.pool, j.need, j.end);
    held.set(j.org, (held.get(j.org) ?? 0) + j.gpus);
    out.push({ jobId: j.id, pool: c.pool, gpus: j.gpus, victims: c.victims, borrowed });
  }
  return out;
}

interface Victim {
  readonly r: RunningAllocation;
  readonly priority: number;
  readonly startedAt: number;
  readonly submittedAt: number;
  readonly milli: number;
  taken: boolean;
}

/**
 * Which running preemptible jobs to stop, and for whom. Two rules only, both about promises the exchange made:
 * - reclaim: a job that stays within its organization's GPU share may stop jobs of organizations holding more
 *   than their share (borrowed capacity), but never so many that such an organization drops below its share;
 * - priority: a job may stop lower-priority jobs of its own organization, and only while it also ranks above
 *   them once priority ages as the queue's rank does (two steps per `agingMs` since submission): a stream of
 *   higher-priority jobs cannot keep stopping a job for ever, and jobs of equal priority never stop each other.
 * Claimants are taken in rank order against the capacity left after the pass. In each of its pools a claimant
 * takes eligible victims in order (lowest priority, then the most recently started: the least work since its
 * last checkpoint, then the newest job) until it fits, and it claims in the pool where that stops the fewest
 * GPUs. A claim must not delay a reservation the pass made for another job: the free GPUs it uses and
 * the GPUs it keeps past a reservation's start must fit that reservation's slack plus what the stops give back
 * by then. Claimants that could start without stopping anyone (they wait for a reservation) claim nothing.
 * Pure. `held` (GPUs per organization) and `quota` follow the pass's fair share.
 */
function choosePreemptions(
  claimants: readonly Claimant[],
  running: readonly RunningAllocation[],
  held: ReadonlyMap<string, number>,
  quota: (org: string) => number,
  now: number,
  agingMs: number,
): { claimant: Claimant; pool: Pool; victims: Preemption[]; stops: RunningAllocation[] }[] {
  const aged = (priority: number, submittedAt: number) => priority + (2 * Math.max(0, now - submittedAt)) / agingMs;
  const byPool = new Map<string, Victim[]>();
  const victimEnd = new Map<string, number | null>();
  for (const r of running) {
    if (!r.preemptible || r.gpus <= 0) continue;
    const k = poolKey(r.siteId, r.gpuType);
    let vs = byPool.get(k);
    if (!vs) {
      vs = [];
      byPool.set(k, vs);
    }
    vs.push({ r, ...r.preemptible, milli: toMilli(r.gpus), taken: false });
    victimEnd.set(r.jobId, r.expectedEnd);
  }
  if (byPool.size === 0) return [];
  for (const vs of byPool.values())
    vs.sort((a, b) => a.priority - b.priority || b.startedAt - a.startedAt || (a.r.jobId < b.r.jobId ? 1 : -1));

  const has = new Map(held);
  const gpus = (org: string) => has.get(org) ?? 0;
  const free = new Map<Pool, number>();
  const freeOf = (p: Pool) => free.get(p) ?? p.free;
  // Reservation slack taken by earlier claims of this call (negative: given back), milli-GPUs.
  type Res = Pool['reservations'][number];
  const slackUsed = new Map<Res, number>();
  const use = (r: Res, milli: number) => slackUsed.set(r, (slackUsed.get(r) ?? 0) + milli);
  // Reservations of claimants that start: dropped, they give back what they took from later reservations.
  const gone = new Set<Res>();
  const ownOf = (j: Claimant): { p: Pool; r: Res }[] =>
    j.pools.flatMap((p) => p.reservations.filter((r) => r.jobId === j.id && !gone.has(r)).map((r) => ({ p, r })));
  const giveBack = (own: readonly { p: Pool; r: Res }[], p: Pool, r: Res) =>
    own.reduce((sum, o) => (o.p === p && r.start >= o.r.start && r.start < o.r.end ? sum + o.r.milli : sum), 0);
  /**
   * How the claim changes the slack of each other reservation of `p`: victims that would still run at its start
   * give theirs back, so does the claimant's own dropped reservation, and the claimant takes `need` from those
   * starting before it ends. A claim is allowed when no reservation it overlaps is left short.
   */
  const effects = (p: Pool, j: Claimant, picks: readonly Preemption[], own: readonly { p: Pool; r: Res }[]) =>
    p.reservations
      .filter((r) => r.jobId !== j.id && !gone.has(r))
      .map((r) => {
        let delta = giveBack(own, p, r);
        for (const x of picks) {
          const e = victimEnd.get(x.jobId);
          if (e === null || (e as number) > r.start) delta += toMilli(x.gpus);
        }
        const overlaps = j.end === null || r.start < j.end;
        if (overlaps) delta -= j.need;
        return { r, delta, short: overlaps && r.extra - (slackUsed.get(r) ?? 0) + delta < 0 };
      });
  // Organizations reclaimed from in this call: a priority stop among their own jobs may not take them below
  // their share afterwards either.
  const reclaimed = new Set<string>();
  const out: { claimant: Claimant; pool: Pool; victims: Preemption[]; stops: RunningAllocation[] }[] = [];
  for (const j of claimants) {
    if (j.need <= 0 || j.pools.length === 0 || j.pools.some((p) => freeOf(p) >= j.need)) continue;
    const within = gpus(j.org) + j.gpus <= quota(j.org) + 1e-9;
    const own = ownOf(j);
    let best: { p: Pool; picks: Preemption[]; freed: number } | null = null;
    for (const p of j.pools) {
      const vs = byPool.get(poolKey(p.siteId, p.type));
      if (!vs) continue;
      const f = freeOf(p);
      const picks: Preemption[] = [];
      const stopped = new Map<string, number>();
      let freed = 0;
      for (const v of vs) {
        if (f + freed >= j.need) break;
        if (v.taken) continue;
        const org = v.r.org;
        const after = gpus(org) - (stopped.get(org) ?? 0) - v.r.gpus;
        let reason: PreemptionReason | null = null;
        if (
          org === j.org &&
          v.priority < j.priority &&
          aged(v.priority, v.submittedAt) < aged(j.priority, j.submittedAt) &&
          (!reclaimed.has(org) || after + j.gpus >= quota(org) - 1e-9)
        )
          reason = 'priority';
        else if (org !== j.org && within && after >= quota(org) - 1e-9) reason = 'reclaim';
        if (reason === null) continue;
        stopped.set(org, (stopped.get(org) ?? 0) + v.r.gpus);
        picks.push({
          jobId: v.r.jobId,
          org,
          siteId: v.r.siteId,
          gpuType: v.r.gpuType,
          gpus: v.r.gpus,
          forJobId: j.id,
          reason,
        });
        freed += v.milli;
      }
      if (f + freed < j.need || (best !== null && freed >= best.freed)) continue;
      if (effects(p, j, picks, own).some((x) => x.short)) continue;
      best = { p, picks, freed };
    }
    if (!best) continue;
    for (const x of effects(best.p, j, best.picks, own)) use(x.r, -x.delta);
    // Its reservations in other pools are dropped too, giving back there.
    for (const q of new Set(own.map((o) => o.p)))
      if (q !== best.p)
        for (const r of q.reservations) if (!gone.has(r) && r.jobId !== j.id) use(r, -giveBack(own, q, r));
    for (const o of own) gone.add(o.r);
    const stops: RunningAllocation[] = [];
    for (const x of best.picks) {
      const v = (byPool.get(poolKey(x.siteId, x.gpuType)) as Victim[]).find((y) => y.r.jobId === x.jobId) as Victim;
      v.taken = true;
      stops.push(v.r);
      has.set(x.org, gpus(x.org) - x.gpus);
      if (x.reason === 'reclaim') reclaimed.add(x.org);
    }
    has.set(j.org, gpus(j.org) + j.gpus);
    free.set(best.p, freeOf(best.p) + best.freed - j.need);
    out.push({ claimant: j, pool: best.p, victims: best.picks, stops });
  }
  return out;
}

const poolKey = (siteId: string, type: string): string => `${siteId}\u0000${type}`;
