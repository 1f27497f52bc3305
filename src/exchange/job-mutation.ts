import { HetaoError, isHetaoError } from '../core/index.js';
import type { LedgerEntry } from '../ledger/index.js';
import type { JobTransition } from '../scheduler/job-state.js';
import type { JobRecord, JobStore } from '../scheduler/job-store.js';

/** What one change to a job does: the new record, its transitions, and the ledger entries to append. */
export interface JobChange {
  readonly next: JobRecord;
  readonly events: readonly JobTransition[];
  readonly entries: readonly LedgerEntry[];
}

/**
 * Applies `change` to the current job, retrying on optimistic conflicts (the scheduler, agents and users race on
 * the same rows), then appends the ledger entries once the change is committed. `change` returns null for
 * "nothing to do". A repeated agent message id is answered with the stored job and changes nothing.
 */
export async function mutateJob(
  jobs: JobStore,
  record: (e: LedgerEntry) => Promise<number>,
  jobId: string,
  change: (job: JobRecord) => JobChange | null,
  messageId?: string,
): Promise<JobRecord> {
  for (let attempt = 0; ; attempt++) {
    const job = await jobs.getJob(jobId);
    if (!job) throw new HetaoError('HETAO_STORE_NOT_FOUND', `no job ${jobId}`, { field: 'id' });
    if (messageId && (await jobs.seenMessage(messageId))) return job;
    const c = change(job);
    if (!c) return job;
    try {
      await jobs.saveJob(c.next, job.version, c.events, messageId);
    } catch (err) {
      if (isHetaoError(err) && err.code === 'HETAO_STORE_CONFLICT' && attempt < 20) continue;
      if (isHetaoError(err) && err.code === 'HETAO_STORE_DUPLICATE' && messageId)
        return (await jobs.getJob(jobId)) as JobRecord;
      throw err;
    }
    for (const e of c.entries) await record(e);
    return c.next;
  }
}
