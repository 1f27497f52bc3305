import { isHetaoError } from '../core/index.js';
import { everyItem, type Site } from '../registry/index.js';
import { type FairShare, quotaGpus } from '../scheduler/fair-share.js';
import { transitionJob } from '../scheduler/job-state.js';
import type { JobPlacement, JobRecord } from '../scheduler/job-store.js';
import { assessSites, type SiteAssessment, tickJobFor, tickSitesFrom } from '../scheduler/placement.js';
import type { PlacementRequest } from '../scheduler/placement-facts.js';
import type { Preemption } from '../scheduler/preemption.js';
import { scheduleTick, type TickJob, type TickResult } from '../scheduler/queue-tick.js';
import type { CoordinatorDeps } from './coordinator-deps.js';
import type { FairShareSource } from './fair-share-source.js';
import { placementEntry, stateChangeEntry } from './job-ledger.js';
import { mutateJob } from './job-mutation.js';
import { ACTIVE_STATES, buildPlacementFacts, limitLeft } from './placement-facts-builder.js';
import { silenceReason } from './site-presence.js';

export interface TickReport {
  readonly placed: number;
  readonly requeued: number;
  readonly waiting: number;
  /** Running jobs stopped and queued again to make room (preemption). */
  readonly preempted: number;
}

/** How long an agent may stay silent about a dispatched or running job before its site counts as lost, ms. */
export const LEASE_TTL_MS = 30_000;
/**
 * How long past its lease a dispatched or running job is given before its site counts as lost and it is queued
 * again. The agent stops an attempt it could not renew one lease period after the last renewal it sent, so it is
 * stopped before the job can be placed anywhere else.
 */
export const LEASE_GRACE_MS = 10_000;

function all(deps: CoordinatorDeps, states: readonly JobRecord['state'][]): Promise<JobRecord[]> {
  return everyItem((p) => deps.jobs.listJobs({ states }, p));
}

export function requestOf(j: JobRecord): PlacementRequest {
  const r = j.spec.resources;
  return {
    jobId: j.id,
    org: j.orgId,
    gpus: r.gpus,
    gpuTypes: r.gpuTypes,
    datasets: j.spec.datasets,
    timeLimit: limitLeft(j),
  };
}

function explain(
  sites: readonly SiteAssessment[],
  chosenId: string,
  names: ReadonlyMap<string, string>,
  /** How it starts when that differs from the assessment's expectation (preemption). */
  instead?: string,
): JobPlacement['explanation'] {
  const found = sites.find((s) => s.siteId === chosenId);
  const chosen = found && instead ? { ...found, reason: `${names.get(chosenId) ?? chosenId}: ${instead}` } : found;
  const others = sites
    .filter((s) => s.siteId !== chosenId)
    .map((s) => `Not chosen ${s.feasible ? `${s.reason} (feasible, ranked below ${names.get(chosenId)})` : s.reason}.`);
  return [`Chosen ${chosen?.reason ?? names.get(chosenId)}.`, ...others].join('\n');
}

/**
 * A placed, dispatched or running job back in the queue: nowhere, no lease, no execution (the stopped attempt's
 * is no longer what runs). The run it had so far joins `priorRuns` with its site and adds to `priorRunMs`
 * (charged at that site and counted as use; `priorSiteId` is the last one), and its next run counts from its own
 * start.
 */
export function backInQueue(cur: JobRecord, now: number, waitingReason: string): JobRecord {
  const ran = cur.startedAt !== null && cur.siteId !== null;
  return {
    ...cur,
    state: 'queued',
    siteId: null,
    placement: null,
    leaseExpiresAt: null,
    execution: null,
    startedAt: null,
    priorRunMs: cur.priorRunMs + (cur.startedAt === null ? 0 : Math.max(0, now - cur.startedAt)),
    priorSiteId: cur.siteId ?? cur.priorSiteId,
    priorRuns: ran
      ? [...cur.priorRuns, { siteId: cur.siteId as string, startedAt: cur.startedAt as number, endedAt: now }]
      : cur.priorRuns,
    waitingReason,
    updatedAt: now,
    version: cur.version + 1,
  };
}

/**
 * Why a job of an organization over its GPU share waits (null when it is within its share, or no shares are set):
 * such a job starts only on capacity no job within its organization's share could use. Reads what the tick held.
 */
function overShareReason(fs: FairShare | null, result: TickResult): (j: JobRecord) => string | null {
  const shares = result.shares;
  if (!fs || !shares) return () => null;
  const { held, totalGpus: total } = shares;
  const round = (x: number) => Math.round(x * 100) / 100;
  return (j) => {
    const share = quotaGpus(fs, j.orgId, total);
    const has = held.get(j.orgId) ?? 0;
    if (has + j.spec.resources.gpus <= share + 1e-9) return null;
    return `waiting: its organization holds ${round(has)} GPUs and its share is ${round(share)} of ${round(total)}; beyond its share a job starts only on GPUs that no job within its organization's share can use`;
  };
}

/**
 * Why a job waits while jobs ranked after it start (null for other jobs): the plan for the head of the queue
 * runs them first because that shortens the planned completion times overall; the job keeps a reservation.
 */
function heldByPlanReason(result: TickResult, names: ReadonlyMap<string, string>): (j: JobRecord) => string | null {
  const held = new Set(result.heldByPlan);
  const at = new Map(result.reservations.map((r) => [r.jobId, r] as const));
  return (j) => {
    const r = at.get(j.id);
    if (!held.has(j.id) || !r) return null;
    return `waiting: planned to start by ${new Date(r.at).toISOString()} at ${names.get(r.siteId) ?? r.siteId}; jobs ranked after it start first, because the plan for the head of the queue finds that this shortens the waiting jobs' completion times overall`;
  };
}

/** Sites whose agent has gone silent (SitePresence), each with the reason it takes no new work. */
function silentSites(deps: CoordinatorDeps, sites: readonly Site[], now: number): Map<string, string> {
  const out = new Map<string, string>();
  const presence = deps.presence;
  if (!presence) return out;
  for (const site of sites) {
    const s = presence.silence(site.id, now);
    if (s) out.set(site.id, silenceReason(site.name, s));
  }
  return out;
}

/** A silent site is no site for new work, whatever else it offers: its assessment says so. */
function withSilent(sites: readonly SiteAssessment[], silent: ReadonlyMap<string, string>): SiteAssessment[] {
  return sites.map((s) => {
    const why = silent.get(s.siteId);
    return why === undefined
      ? s
      : { ...s, feasible: false, gpuType: null, expectedStart: null, score: null, reason: why };
  });
}

/**
 * One pass: requeue work whose site went silent past its lease, then place queued jobs with the same tick the
 * simulator uses (residency decided per site by the policy engine, ranked with aging and fair share, the head of
 * the queue planned as a whole, backfill behind reservations), recording each placement with its explanation.
 */
export async function runSchedulingTick(
  deps: CoordinatorDeps,
  onPlaced: (siteId: string) => void,
  fairShareSource?: FairShareSource,
): Promise<TickReport> {
  const now = deps.clock.now();
  let requeued = 0;
  for (const j of await all(deps, ['dispatched', 'running'])) {
    if (j.leaseExpiresAt === null || j.leaseExpiresAt + LEASE_GRACE_MS > now) continue;
    await mutateJob(deps.jobs, deps.flushLedger, j.id, (cur) => {
      if (
        (cur.state !== 'dispatched' && cur.state !== 'running') ||
        cur.leaseExpiresAt === null ||
        cur.leaseExpiresAt + LEASE_GRACE_MS > now
      )
        return null;
      const t = transitionJob(
        cur.id,
        cur.state,
        'queued',
        now,
        `site ${cur.siteId} lost: no heartbeat within ${(LEASE_TTL_MS + LEASE_GRACE_MS) / 1000} s`,
      );
      requeued++;
      return {
        next: backInQueue(cur, now, 'requeued after its site was lost'),
        events: [t],
        entries: [stateChangeEntry(t, 'site-lost')],
      };
    });
  }

  // Jobs placed at a site whose agent went silent, and not leased, go back to the queue to be placed elsewhere.
  // The pass reads the sites once: for silence here and for placement below.
  const sites = await everyItem((p) => deps.registry.listSites(p));
  const silent = silentSites(deps, sites, now);
  for (const j of silent.size ? await all(deps, ['placed']) : []) {
    const why = j.siteId === null ? undefined : silent.get(j.siteId);
    if (why === undefined) continue;
    await mutateJob(deps.jobs, deps.flushLedger, j.id, (cur) => {
      if (cur.state !== 'placed' || cur.siteId !== j.siteId) return null;
      const t = transitionJob(cur.id, 'placed', 'queued', now, why);
      requeued++;
      return {
        next: backInQueue(cur, now, 'queued again: the site it was placed at takes no new work'),
        events: [t],
        entries: [stateChangeEntry(t, 'site-silent')],
      };
    });
  }

  const queued = await all(deps, ['queued']);
  if (queued.length === 0) {
    await deps.flushLedger(); // as at the end of a pass
    return { placed: 0, requeued, waiting: 0, preempted: 0 };
  }
  const active = await all(deps, ACTIVE_STATES);
  const facts = await buildPlacementFacts(deps.registry, queued, active, now, sites);
  const names = new Map(facts.sites.map((s) => [s.id, s.name]));
  const assessments = new Map<string, SiteAssessment[]>();
  const waiting = new Map<string, string>();
  const queue: TickJob[] = [];
  for (const j of queued) {
    try {
      const request = requestOf(j);
      const sites = withSilent(assessSites(request, facts, deps.decide, now), silent);
      assessments.set(j.id, sites);
      const tj = tickJobFor(request, j.submittedAt, j.spec.priority, sites, facts);
      const allowed = tj.allowedSites ?? new Set(facts.sites.map((x) => x.id));
      queue.push(silent.size ? { ...tj, allowedSites: new Set([...allowed].filter((id) => !silent.has(id))) } : tj);
      if (!sites.some((s) => s.feasible))
        waiting.set(j.id, `No site can run this job:\n${sites.map((s) => s.reason).join('\n')}`);
    } catch (err) {
      waiting.set(j.id, `Cannot be placed: ${isHetaoError(err) ? `${err.code}: ${err.message}` : String(err)}`);
    }
  }
  const fairShare = (await fairShareSource?.current(now)) ?? null;
  const result = scheduleTick({
    now,
    scheduler: 'hetao',
    queue,
    sites: tickSitesFrom(facts),
    running: facts.running,
    fairShare,
  });
  const preempted = await stopForOthers(deps, result.preemptions, names, now);
  let placed = 0;
  for (const s of result.starts) {
    const sites = assessments.get(s.jobId) ?? [];
    const stopped = preempted.get(s.jobId);
    const placement: JobPlacement = {
      siteId: s.siteId,
      siteName: names.get(s.siteId) ?? s.siteId,
      gpuType: s.gpuType,
      explanation:
        explain(sites, s.siteId, names, stopped && `starts now on ${s.gpuType} in place of ${stopped.text}`) +
        (s.backfilled ? '\nStarted early by backfill: it ends before the reserved start of a larger job.' : '') +
        (s.plannedAhead
          ? '\nStarted ahead of jobs ranked before it: the plan for the head of the queue runs it first, which shortens the planned completion times of the jobs waiting.'
          : '') +
        (s.borrowed
          ? '\nRuns on borrowed capacity: with it the organization holds more than its GPU share, so it started only on GPUs no job within its share could use.'
          : ''),
      alternatives: sites.filter((x) => x.siteId !== s.siteId).map((x) => ({ siteId: x.siteId, reason: x.reason })),
    };
    const next = await mutateJob(deps.jobs, deps.flushLedger, s.jobId, (cur) => {
      if (cur.state !== 'queued') return null;
      const t = transitionJob(cur.id, 'queued', 'placed', now, `placed at ${placement.siteName}`);
      return {
        next: {
          ...cur,
          state: 'placed',
          siteId: s.siteId,
          placement,
          waitingReason: null,
          updatedAt: now,
          version: cur.version + 1,
        },
        events: [t],
        entries: [
          placementEntry(
            cur.id,
            cur.orgId,
            s.siteId,
            now,
            s.plannedAhead ? 'planned-ahead' : s.backfilled ? 'backfill' : s.borrowed ? 'borrowed-capacity' : 'placed',
          ),
        ],
      };
    });
    if (next.state === 'placed') {
      placed++;
      onPlaced(s.siteId);
    }
  }
  const started = new Set(result.starts.map((s) => s.jobId));
  const overShare = overShareReason(fairShare, result);
  const heldByPlan = heldByPlanReason(result, names);
  for (const j of queued) {
    if (started.has(j.id)) continue;
    const reason = waiting.get(j.id) ?? overShare(j) ?? heldByPlan(j) ?? 'waiting for capacity at an allowed site';
    if (reason === j.waitingReason) continue;
    await mutateJob(deps.jobs, deps.flushLedger, j.id, (cur) =>
      cur.state === 'queued' && cur.waitingReason !== reason
        ? { next: { ...cur, waitingReason: reason, updatedAt: now, version: cur.version + 1 }, events: [], entries: [] }
        : null,
    );
  }
  let stops = 0;
  for (const ps of preempted.values()) stops += ps.count;
  // Entries staged by changes whose own flush failed (or by a process that stopped before it) go in now; a failure
  // here fails the pass, after its work, so it is seen.
  await deps.flushLedger();
  return { placed, requeued, waiting: queued.length - placed, preempted: stops };
}

/**
 * Stops the running jobs the tick preempts: each goes back to the queue (its agent hears at its next heartbeat
 * that the lease is gone and stops the attempt; the job's next attempt resumes from its checkpoint). Returns, per
 * claimant, the jobs stopped for it. A victim that ended or moved meanwhile is left as it is.
 */
async function stopForOthers(
  deps: CoordinatorDeps,
  preemptions: readonly Preemption[],
  names: ReadonlyMap<string, string>,
  now: number,
): Promise<Map<string, { readonly text: string; readonly count: number }>> {
  const stopped = new Map<string, Preemption[]>();
  for (const p of preemptions) {
    const why =
      p.reason === 'reclaim'
        ? `preempted: its organization holds more than its GPU share, and job ${p.forJobId} of an organization within its share needs the GPUs at ${names.get(p.siteId) ?? p.siteId}`
        : `preempted by job ${p.forJobId} of the same organization, which has a higher priority`;
    let applied = false;
    await mutateJob(deps.jobs, deps.flushLedger, p.jobId, (cur) => {
      applied = false;
      if (cur.state !== 'running' || cur.siteId !== p.siteId) return null;
      applied = true;
      const t = transitionJob(cur.id, 'running', 'queued', now, why);
      return {
        next: backInQueue(cur, now, `requeued: ${why}`),
        events: [t],
        entries: [stateChangeEntry(t, p.reason === 'reclaim' ? 'preempted-reclaim' : 'preempted-priority')],
      };
    });
    // A victim that ended or moved meanwhile was not stopped; its claimant starts on the GPUs it left anyway.
    if (applied) stopped.set(p.forJobId, [...(stopped.get(p.forJobId) ?? []), p]);
  }
  const out = new Map<string, { readonly text: string; readonly count: number }>();
  for (const [claimant, ps] of stopped) {
    const ids = ps.map((p) => p.jobId).join(', ');
    const why = ps.every((p) => p.reason === 'priority')
      ? 'lower-priority preemptible jobs of the same organization'
      : ps.every((p) => p.reason === 'reclaim')
        ? 'preemptible jobs on GPUs their organization borrowed beyond its share'
        : 'preemptible jobs on borrowed GPUs or of lower priority';
    out.set(claimant, { text: `${ids} (${why}), stopped and queued again`, count: ps.length });
  }
  return out;
}
