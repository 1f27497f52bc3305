import { type Pool, toMilli } from './cluster-pools.js';
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
  readonly victims: readonly Preemption[];
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
 * Pure: the caller stops the victims and starts the claimants. `held` (GPUs per organization) and `quota` follow
 * the pass's fair share.
 */
export function choosePreemptions(
  claimants: readonly Claimant[],
  running: readonly RunningAllocation[],
  held: ReadonlyMap<string, number>,
  quota: (org: string) => number,
  now: number,
  agingMs: number,
): Claim[] {
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
  // Reservation slack taken by earlier claims of this call, milli-GPUs.
  const slackUsed = new Map<Pool['reservations'][number], number>();
  /** Slack change per reservation of `p` the claim would cause (>= 0 everywhere when it delays nobody). */
  const slackAfter = (p: Pool, j: Claimant, picks: readonly Preemption[]) =>
    p.reservations
      .filter((r) => r.jobId !== j.id && (j.end === null || r.start < j.end))
      .map((r) => {
        let credit = 0;
        for (const x of picks) {
          const e = victimEnd.get(x.jobId);
          if (e === null || (e as number) > r.start) credit += toMilli(x.gpus);
        }
        return { r, left: r.extra - (slackUsed.get(r) ?? 0) + credit - j.need, credit };
      });
  const out: Claim[] = [];
  for (const j of claimants) {
    if (j.need <= 0 || j.pools.length === 0 || j.pools.some((p) => freeOf(p) >= j.need)) continue;
    const within = gpus(j.org) + j.need / 1000 <= quota(j.org) + 1e-9;
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
        let reason: PreemptionReason | null = null;
        if (
          org === j.org &&
          v.priority < j.priority &&
          aged(v.priority, v.submittedAt) < aged(j.priority, j.submittedAt)
        )
          reason = 'priority';
        else if (org !== j.org && within && gpus(org) - (stopped.get(org) ?? 0) - v.r.gpus >= quota(org) - 1e-9)
          reason = 'reclaim';
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
      if (slackAfter(p, j, picks).some((x) => x.left < 0)) continue;
      best = { p, picks, freed };
    }
    if (!best) continue;
    for (const x of slackAfter(best.p, j, best.picks))
      slackUsed.set(x.r, (slackUsed.get(x.r) ?? 0) + j.need - x.credit);
    for (const x of best.picks) {
      const v = (byPool.get(poolKey(x.siteId, x.gpuType)) as Victim[]).find((y) => y.r.jobId === x.jobId) as Victim;
      v.taken = true;
      has.set(x.org, gpus(x.org) - x.gpus);
    }
    has.set(j.org, gpus(j.org) + j.need / 1000);
    free.set(best.p, freeOf(best.p) + best.freed - j.need);
    out.push({ jobId: j.id, pool: best.p, victims: best.picks });
  }
  return out;
}

const poolKey = (siteId: string, type: string): string => `${siteId}\u0000${type}`;
