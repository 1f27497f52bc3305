import type { Actor } from '../access/index.js';
import { HetaoError } from '../core/index.js';
import { encodeEntry } from '../ledger/index.js';
import { areAssociated } from '../registry/index.js';
import type { JobSpec } from '../scheduler/job-spec.js';
import { isTerminal, transitionJob } from '../scheduler/job-state.js';
import { type JobRecord, newJob } from '../scheduler/job-store.js';
import type { CoordinatorDeps } from './coordinator-deps.js';
import { FairShareSource } from './fair-share-source.js';
import { type Charge, chargerFor, endingOf } from './job-cost.js';
import { stateChangeEntry } from './job-ledger.js';
import { flushAfter, mutateJob } from './job-mutation.js';
import { runSchedulingTick, type TickReport } from './scheduling-tick.js';

export type { CoordinatorDeps } from './coordinator-deps.js';

type Listener = (siteId: string) => void;

/**
 * The exchange's job lifecycle: submission, scheduling ticks, cancellation. Agents' side (leases, reports) is in
 * agent-leases.ts over the same store. Every transition is validated by the state machine and committed with
 * its ledger entry staged in the store's outbox, then appended to the log; listeners hear when a site gets work
 * so long-polling agents wake at once.
 */
export class JobCoordinator {
  readonly #listeners = new Set<Listener>();
  #ticking: Promise<TickReport> | null = null;
  #again = false;
  readonly #fairShare: FairShareSource;

  constructor(readonly deps: CoordinatorDeps) {
    this.#fairShare = new FairShareSource(deps.registry, deps.jobs);
  }

  onPlaced(l: Listener): () => void {
    this.#listeners.add(l);
    return () => this.#listeners.delete(l);
  }

  notify(siteId: string): void {
    for (const l of this.#listeners) l(siteId);
  }

  /** Validates dataset references, stores the job submitted then queued, and asks for a tick. */
  async submit(actor: Actor, spec: JobSpec): Promise<JobRecord> {
    const { registry, clock, ids, jobs } = this.deps;
    for (const [i, id] of spec.datasets.entries()) {
      const d = await registry.getDataset(id);
      const mine = d && (d.ownerOrgId === actor.orgId || (await this.#associated(actor.orgId, d.ownerOrgId)));
      if (!mine) {
        throw new HetaoError(
          'HETAO_STORE_REFERENCE',
          `datasets.${i}: no dataset ${id} that your organization or an associated one holds`,
          { field: `datasets.${i}` },
        );
      }
    }
    const at = clock.now();
    const id = ids.next('job');
    const t1 = transitionJob(id, 'submitted', 'queued', at, 'accepted for scheduling');
    const job = newJob({
      id,
      orgId: actor.orgId,
      submittedBy: actor.accountId,
      spec,
      at,
      waitingReason: 'waiting for the scheduler',
    });
    await jobs.insertJob(job, [t1], [encodeEntry(stateChangeEntry(t1, 'submitted'))]);
    await flushAfter(this.deps.flushLedger);
    // A pass now rather than at the next interval; one that fails is retried and reported by the periodic pass.
    this.tick().catch(() => {});
    return job;
  }

  async #associated(a: string, b: string): Promise<boolean> {
    return areAssociated(a, b, await this.deps.registry.listAssociationsOf(a), this.deps.clock.now());
  }

  /**
   * Cancels a job that has not ended; the site's agent learns it at its next heartbeat and stops the attempt. A
   * job that ran at a site is charged for what it ran (with earlier, stopped runs) up to the cancel; one that waits
   * in the queue after runs were stopped is charged for those, at the site of the last.
   */
  async cancel(jobId: string, reason: string): Promise<JobRecord> {
    const first = await this.deps.jobs.getJob(jobId);
    return first
      ? endingOf(this.deps.jobs, first.orgId, () => this.#cancel(jobId, reason))
      : this.#cancel(jobId, reason);
  }

  async #cancel(jobId: string, reason: string): Promise<JobRecord> {
    const first = await this.deps.jobs.getJob(jobId);
    const charge: Charge = first ? await chargerFor(this.deps, first, this.deps.clock.now()) : () => null;
    return mutateJob(this.deps.jobs, this.deps.flushLedger, jobId, (job) => {
      if (isTerminal(job.state)) {
        throw new HetaoError('HETAO_JOB_TRANSITION_ILLEGAL', `job ${job.id} already ended ${job.state}`, {
          field: 'state',
        });
      }
      const at = this.deps.clock.now();
      const t = transitionJob(job.id, job.state, 'cancelled', at, reason);
      return {
        next: {
          ...job,
          state: 'cancelled',
          updatedAt: at,
          version: job.version + 1,
          endedAt: at,
          waitingReason: null,
          cost: charge(job, job.startedAt, at) ?? job.cost,
        },
        events: [t],
        entries: [stateChangeEntry(t, 'cancelled-by-user')],
      };
    });
  }

  /** One scheduling pass; concurrent callers share it (and a call during a pass runs one more pass after it). */
  tick(): Promise<TickReport> {
    if (this.#ticking) {
      this.#again = true;
      return this.#ticking;
    }
    this.#ticking = (async () => {
      try {
        let report: TickReport;
        do {
          this.#again = false;
          report = await runSchedulingTick(this.deps, (site) => this.notify(site), this.#fairShare);
        } while (this.#again);
        return report;
      } finally {
        this.#ticking = null;
      }
    })();
    return this.#ticking;
  }
}
