import { HetaoError, isHetaoError } from '../core/index.js';
import { encodeEntry, type LedgerEntry } from '../ledger/index.js';
import type { JobTransition } from '../scheduler/job-state.js';
import type { JobRecord, JobStore } from '../scheduler/job-store.js';

/** What one change to a job does: the new record, its transitions, and the ledger entries to append. */
export interface JobChange {
  readonly next: JobRecord;
  readonly events: readonly JobTransition[];
  readonly entries: readonly LedgerEntry[];
}

/**
 * Appends what the ledger outbox holds. A failure leaves the entries staged for the next flush (each scheduling
 * pass starts with one), so a change that committed is never reported as failed because the log was busy.
 */
export async function flushAfter(flush: () => Promise<void>): Promise<void> {
  try {
    await flush();
  } catch {
    // staged durably with the change; the next pass appends them
  }
}

/**
 * Applies `change` to the current job, retrying on optimistic conflicts (the scheduler, agents and users race on
 * the same rows). Its ledger entries are staged in the store's outbox in the change's own transaction and
 * appended (`flush`) once it committed, so a crash in between loses none. `change` returns null for "nothing to
 * do". A repeated agent message id is answered with the stored job and changes nothing.
 */
export async function mutateJob(
  jobs: JobStore,
  flush: () => Promise<void>,
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
    const staged = c.entries.map((e) => encodeEntry(e)); // a bad entry fails here, before anything is written
    try {
      await jobs.saveJob(c.next, job.version, c.events, messageId, staged);
    } catch (err) {
      if (isHetaoError(err) && err.code === 'HETAO_STORE_CONFLICT' && attempt < 20) continue;
      if (isHetaoError(err) && err.code === 'HETAO_STORE_DUPLICATE' && messageId)
        return (await jobs.getJob(jobId)) as JobRecord;
      throw err;
    }
    if (staged.length) await flushAfter(flush);
    return c.next;
  }
}
