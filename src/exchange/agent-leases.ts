import { HetaoError } from '../core/index.js';
import { everyItem } from '../registry/index.js';
import { type JobState, transitionJob } from '../scheduler/job-state.js';
import type { JobExecution, JobRecord } from '../scheduler/job-store.js';
import type { CoordinatorDeps } from './coordinator-deps.js';
import { chargerFor, endingOf } from './job-cost.js';
import { stateChangeEntry } from './job-ledger.js';
import { type JobChange, mutateJob } from './job-mutation.js';
import { backInQueue, LEASE_TTL_MS } from './scheduling-tick.js';

/** Work handed to an agent: one attempt of one job, under a fencing token. */
export interface LeaseGrant {
  readonly jobId: string;
  readonly attempt: number;
  /** `<jobId>-<attempt>`: the executor's attempt id, unique for the life of the site. */
  readonly attemptId: string;
  readonly leaseToken: number;
  readonly expiresAt: number;
  readonly job: JobRecord;
}

export interface AgentReport {
  /** Unique per report; a retry with the same id is answered without effect. */
  readonly messageId: string;
  readonly jobId: string;
  readonly leaseToken: number;
  /** `lost`: the site's executor can no longer find the attempt (see ExecutionState); `reason` says why. */
  readonly state: 'running' | 'succeeded' | 'failed' | 'timed-out' | 'cancelled' | 'lost';
  readonly execution?: JobExecution;
  readonly exitCode?: number;
  readonly reason?: string;
}

/**
 * Attempts of one job a site may lose (its executor can no longer find them) before the job fails: each loss
 * before puts the job back in the queue, as a lost site does, so a site whose executor loses every attempt cannot
 * keep a job bouncing forever.
 */
export const MAX_LOST_ATTEMPTS = 3;

/** How a lost attempt's transition reason begins; losses are counted from the job's history by it. */
const LOST_AT = 'attempt lost at site';

export type HeartbeatAnswer = 'ok' | 'cancel' | 'fenced';

const LIVE: readonly JobState[] = ['dispatched', 'running'];

/**
 * Whether the job is at the site, or was last there and has gone back to the queue since (its agent may still
 * report on the stopped run, and is told it is fenced). Anything else about a job is none of that site's business.
 */
function atSite(job: JobRecord, siteId: string): boolean {
  return job.siteId === siteId || (job.siteId === null && job.priorSiteId === siteId);
}

/** The job, when the site may act on it; an unknown job and another site's job are refused alike. */
function ofSite(job: JobRecord | null, jobId: string, siteId: string): JobRecord {
  if (!job || !atSite(job, siteId))
    throw new HetaoError('HETAO_AGENT_SITE', `job ${jobId} is not at site ${siteId}`, { field: 'jobId' });
  return job;
}

function fence(job: JobRecord, siteId: string, leaseToken: number): void {
  ofSite(job, job.id, siteId);
  if (job.leaseToken !== leaseToken || !(LIVE.includes(job.state) || job.state === 'cancelled')) {
    throw new HetaoError(
      'HETAO_AGENT_FENCED',
      `lease ${leaseToken} on job ${job.id} is no longer valid (current token ${job.leaseToken}, state ${job.state})`,
      { field: 'leaseToken' },
    );
  }
}

/** The server side of the agent protocol: leases with fencing tokens, heartbeats, reports, logs. */
export class AgentLeases {
  constructor(
    readonly deps: CoordinatorDeps,
    readonly ttlMs: number = LEASE_TTL_MS,
  ) {}

  /** The site's agent called (SitePresence): it is there to take work. */
  heard(siteId: string): void {
    this.deps.presence?.heard(siteId);
  }

  /**
   * Takes the job placed at the site longest ago, if any: placed -> dispatched with a new attempt and token. Every
   * placed job there is looked at (they are few: placement fills free capacity only), so none waits behind newer ones.
   */
  async lease(siteId: string): Promise<LeaseGrant | null> {
    this.heard(siteId);
    const placed = await everyItem((p) => this.deps.jobs.listJobs({ states: ['placed'], siteId }, p));
    placed.sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const candidate of placed) {
      const now = this.deps.clock.now();
      const job = await mutateJob(this.deps.jobs, this.deps.flushLedger, candidate.id, (cur) => {
        if (cur.state !== 'placed' || cur.siteId !== siteId) return null;
        const t = transitionJob(
          cur.id,
          'placed',
          'dispatched',
          now,
          `leased by the agent of ${cur.placement?.siteName ?? siteId}`,
        );
        return {
          next: {
            ...cur,
            state: 'dispatched',
            attempt: cur.attempt + 1,
            leaseToken: cur.leaseToken + 1,
            leaseExpiresAt: now + this.ttlMs,
            execution: null,
            updatedAt: now,
            version: cur.version + 1,
          },
          events: [t],
          entries: [stateChangeEntry(t, 'dispatched')],
        };
      });
      if (job.state === 'dispatched' && job.leaseToken === candidate.leaseToken + 1) {
        return {
          jobId: job.id,
          attempt: job.attempt,
          attemptId: `${job.id}-${job.attempt}`,
          leaseToken: job.leaseToken,
          expiresAt: job.leaseExpiresAt as number,
          job,
        };
      }
    }
    return null;
  }

  /** Extends live leases; says `cancel` for jobs the user cancelled and `fenced` for leases that are gone. */
  async heartbeat(
    siteId: string,
    leases: readonly { jobId: string; leaseToken: number }[],
  ): Promise<Record<string, HeartbeatAnswer>> {
    this.heard(siteId);
    const out: Record<string, HeartbeatAnswer> = {};
    for (const l of leases) {
      const job = await this.deps.jobs.getJob(l.jobId);
      if (!job || job.siteId !== siteId || job.leaseToken !== l.leaseToken) {
        out[l.jobId] = 'fenced';
        continue;
      }
      if (job.state === 'cancelled') {
        out[l.jobId] = 'cancel';
        continue;
      }
      if (!LIVE.includes(job.state)) {
        out[l.jobId] = 'fenced';
        continue;
      }
      const now = this.deps.clock.now();
      await mutateJob(this.deps.jobs, this.deps.flushLedger, job.id, (cur) =>
        cur.leaseToken === l.leaseToken && LIVE.includes(cur.state)
          ? {
              next: { ...cur, leaseExpiresAt: now + this.ttlMs, updatedAt: now, version: cur.version + 1 },
              events: [],
              entries: [],
            }
          : null,
      );
      out[l.jobId] = 'ok';
    }
    return out;
  }

  /**
   * Applies one state report under its lease; a repeated message id changes nothing. Message ids are the site's
   * own: they are kept per site, so no agent can answer for, or use up, another site's ids.
   */
  async report(siteId: string, r: AgentReport): Promise<JobRecord> {
    this.heard(siteId);
    const { orgId } = ofSite(await this.deps.jobs.getJob(r.jobId), r.jobId, siteId);
    // A report that ends the job charges it against the organization's subsidy left: one ending at a time.
    return r.state === 'running'
      ? this.#apply(siteId, r)
      : endingOf(this.deps.jobs, orgId, () => this.#apply(siteId, r));
  }

  async #apply(siteId: string, r: AgentReport): Promise<JobRecord> {
    const first = ofSite(await this.deps.jobs.getJob(r.jobId), r.jobId, siteId);
    const messageId = `${siteId}/${r.messageId}`;
    if (await this.deps.jobs.seenMessage(messageId)) return first;
    fence(first, siteId, r.leaseToken);
    if (r.state === 'lost') return this.#lost(siteId, r, messageId, first);
    const state = r.state;
    const charge = await chargerFor(this.deps, first, this.deps.clock.now());
    return this.#underLease(siteId, r, messageId, (cur, now) => {
      if (state === cur.state) return null;
      if (!(cur.state === 'dispatched' && (state === 'running' || state === 'failed')) && cur.state !== 'running') {
        throw new HetaoError('HETAO_AGENT_REPORT', `job ${cur.id} is ${cur.state}; it cannot become ${state}`, {
          field: 'state',
        });
      }
      const t = transitionJob(
        cur.id,
        cur.state,
        state,
        now,
        state === 'running'
          ? 'started by the site'
          : `ended: ${state}${r.exitCode === undefined ? '' : ` (exit ${r.exitCode})`}`,
      );
      const execution: JobExecution | null = r.execution
        ? { ...r.execution, ...(r.exitCode === undefined ? {} : { exitCode: r.exitCode }) }
        : cur.execution && r.exitCode !== undefined
          ? { ...cur.execution, exitCode: r.exitCode }
          : cur.execution;
      const ended = state !== 'running';
      const startedAt = cur.startedAt ?? (state === 'running' ? now : null);
      const next: JobRecord = {
        ...cur,
        state,
        execution,
        startedAt,
        endedAt: ended ? now : null,
        leaseExpiresAt: ended ? null : now + this.ttlMs,
        // A job whose last attempt never started is still charged for its earlier, stopped runs.
        cost: ended ? (charge(cur, startedAt, now) ?? cur.cost) : cur.cost,
        updatedAt: now,
        version: cur.version + 1,
      };
      return {
        next,
        events: [t],
        entries: [stateChangeEntry(t, state === 'running' ? 'started' : `ended-${state}`)],
      };
    });
  }

  /** Applies `change` to the job under the report's lease; a cancelled job is left as it is. */
  #underLease(
    siteId: string,
    r: AgentReport,
    messageId: string,
    change: (cur: JobRecord, now: number) => JobChange | null,
  ): Promise<JobRecord> {
    const at = (cur: JobRecord): JobChange | null => {
      fence(cur, siteId, r.leaseToken);
      return cur.state === 'cancelled' ? null : change(cur, this.deps.clock.now());
    };
    return mutateJob(this.deps.jobs, this.deps.flushLedger, r.jobId, at, messageId);
  }

  /**
   * The site's executor lost the attempt: the job goes back to the queue to run again (its time so far is kept as
   * a stopped run, as for a lost site), or fails once MAX_LOST_ATTEMPTS of its attempts have been lost.
   */
  async #lost(siteId: string, r: AgentReport, messageId: string, first: JobRecord): Promise<JobRecord> {
    const losses = (await this.deps.jobs.listJobEvents(r.jobId)).filter((e) => e.reason.startsWith(LOST_AT)).length;
    const failing = losses + 1 >= MAX_LOST_ATTEMPTS;
    const charge = await chargerFor(this.deps, first, this.deps.clock.now());
    return this.#underLease(siteId, r, messageId, (cur, now) => {
      // The fence leaves a dispatched or running job here.
      if (cur.state !== 'dispatched' && cur.state !== 'running') return null;
      const why = `${LOST_AT} ${siteId}${r.reason ? `: ${r.reason}` : ''}`;
      if (failing) {
        const t = transitionJob(cur.id, cur.state, 'failed', now, `${why}; ${losses + 1} attempts lost, failed`);
        const next: JobRecord = {
          ...cur,
          state: 'failed',
          endedAt: now,
          leaseExpiresAt: null,
          cost: charge(cur, cur.startedAt, now) ?? cur.cost,
          updatedAt: now,
          version: cur.version + 1,
        };
        return { next, events: [t], entries: [stateChangeEntry(t, 'attempts-lost')] };
      }
      const t = transitionJob(cur.id, cur.state, 'queued', now, why);
      return {
        next: backInQueue(
          cur,
          now,
          `requeued: its attempt was lost at the site (${losses + 1} of ${MAX_LOST_ATTEMPTS})`,
        ),
        events: [t],
        entries: [stateChangeEntry(t, 'attempt-lost')],
      };
    });
  }

  /** Log text of the current attempt, at a byte offset; only the lease holder may write. */
  async appendLog(siteId: string, jobId: string, leaseToken: number, offset: number, text: string): Promise<void> {
    const job = ofSite(await this.deps.jobs.getJob(jobId), jobId, siteId);
    if (job.siteId !== siteId || job.leaseToken !== leaseToken) {
      throw new HetaoError('HETAO_AGENT_FENCED', `lease ${leaseToken} on job ${jobId} is no longer valid`, {
        field: 'leaseToken',
      });
    }
    await this.deps.jobs.appendJobLog(jobId, job.attempt, offset, text);
  }

  /**
   * Attempts this site may still hold that must not run: every attempt of a job that is or was here in the last
   * `withinMs` (default a week) except the one it holds a lease on now. An agent that restarts stops those it
   * finds on its executor (a job cancelled or requeued while the agent was down). Attempts that ran elsewhere are
   * among them; the site's executor has no trace of those.
   */
  async stale(siteId: string, withinMs: number = 7 * 24 * 3_600_000): Promise<string[]> {
    const since = this.deps.clock.now() - withinMs;
    const jobs = await everyItem((p) => this.deps.jobs.listJobs({ touchedSiteId: siteId, updatedSince: since }, p));
    const out: string[] = [];
    for (const j of jobs) {
      if (j.siteId !== siteId && j.priorSiteId !== siteId && !j.priorRuns.some((r) => r.siteId === siteId)) continue;
      const live = j.siteId === siteId && LIVE.includes(j.state) ? j.attempt : 0;
      for (let a = 1; a <= j.attempt; a++) if (a !== live) out.push(`${j.id}-${a}`);
    }
    return out;
  }

  /** Jobs this site's agent holds leases on (for re-attaching after an agent restart). */
  async assignments(siteId: string): Promise<JobRecord[]> {
    this.heard(siteId);
    return everyItem((p) => this.deps.jobs.listJobs({ states: LIVE, siteId }, p));
  }
}
