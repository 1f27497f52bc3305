import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { JobSpec } from '../../scheduler/job-spec.js';
import { JOB_STATES, type JobState, type JobTransition, TERMINAL_STATES } from '../../scheduler/job-state.js';
import type { JobFilter, JobRecord, JobRun, JobStore } from '../../scheduler/job-store.js';
import { guarded } from '../driver-errors.js';
import { stageLedgerEntries } from '../ledger/outbox-rows.js';
import { pageLimit, toPage } from '../registry/versioned.js';
import type { Dialect, JobsTable, Tables } from '../schema.js';
import { writeTransaction } from '../write-transaction.js';

/**
 * The states of a job that has not ended (ended_at is null), by name: "state in" these or "ended_at >= since"
 * can each use an index (jobs_state with the site, jobs_ended_at), where "ended_at is null" finds every active
 * job at every site.
 */
const ACTIVE = JOB_STATES.filter((s) => !TERMINAL_STATES.has(s));

/** Jobs still going at `since` or after: not ended, or ended then or later. */
const goingSince =
  (since: number) =>
  (eb: ExpressionBuilder<Tables, 'jobs'>): Expression<SqlBool> =>
    eb.or([eb('state', 'in', ACTIVE), eb('ended_at', '>=', since)]);

const json = <T>(v: string | null): T | null => (v == null ? null : (JSON.parse(v) as T));
const num = (v: number | null): number | null => (v == null ? null : Number(v));

const fromRow = (r: JobsTable): JobRecord =>
  Object.freeze<JobRecord>({
    id: r.id,
    orgId: r.org_id,
    submittedBy: r.submitted_by,
    name: r.name,
    // Specs stored before a field existed read with its default.
    spec: { preemptible: false, ...(JSON.parse(r.spec) as Omit<JobSpec, 'preemptible'>) },
    state: r.state as JobState,
    submittedAt: Number(r.submitted_at),
    updatedAt: Number(r.updated_at),
    version: r.version,
    siteId: r.site_id,
    placement: json<JobRecord['placement']>(r.placement),
    waitingReason: r.waiting_reason,
    attempt: r.attempt,
    leaseToken: r.lease_token,
    leaseExpiresAt: num(r.lease_expires_at),
    execution: json<JobRecord['execution']>(r.execution),
    cost: json<JobRecord['cost']>(r.cost),
    startedAt: num(r.started_at),
    endedAt: num(r.ended_at),
    priorRunMs: Number(r.prior_run_ms ?? 0),
    priorSiteId: r.prior_site_id ?? null,
    priorRuns: json<JobRecord['priorRuns']>(r.prior_runs ?? null) ?? [],
  });

const toRow = (j: JobRecord): JobsTable => ({
  id: j.id,
  org_id: j.orgId,
  submitted_by: j.submittedBy,
  name: j.name,
  spec: JSON.stringify(j.spec),
  state: j.state,
  submitted_at: j.submittedAt,
  updated_at: j.updatedAt,
  version: j.version,
  site_id: j.siteId,
  placement: j.placement ? JSON.stringify(j.placement) : null,
  waiting_reason: j.waitingReason,
  attempt: j.attempt,
  lease_token: j.leaseToken,
  lease_expires_at: j.leaseExpiresAt,
  execution: j.execution ? JSON.stringify(j.execution) : null,
  cost: j.cost ? JSON.stringify(j.cost) : null,
  started_at: j.startedAt,
  ended_at: j.endedAt,
  prior_run_ms: j.priorRunMs,
  prior_site_id: j.priorSiteId,
  prior_runs: j.priorRuns.length ? JSON.stringify(j.priorRuns) : null,
});

type Db = Kysely<Tables>;

/** The jobs a filter selects: what listJobs and countJobs share, so counts always agree with listings. */
/** A LIKE pattern for prior_runs text that names `siteId`; it only narrows rows (`_` in an id matches any one). */
function runsAtPattern(siteId: string): string {
  return `%"siteId":${JSON.stringify(siteId).replace(/[%\\]/g, '_')}%`;
}

function jobsMatching<Q extends SelectQueryBuilder<Tables, 'jobs', object>>(q: Q, filter: JobFilter): Q {
  let out = q;
  if (filter.orgId) out = out.where('org_id', '=', filter.orgId) as Q;
  if (filter.states?.length) out = out.where('state', 'in', [...filter.states]) as Q;
  if (filter.siteId) out = out.where('site_id', '=', filter.siteId) as Q;
  if (filter.updatedSince !== undefined) out = out.where('updated_at', '>=', filter.updatedSince) as Q;
  const touched = filter.touchedSiteId;
  if (touched) {
    const inRuns = runsAtPattern(touched);
    out = out.where((eb) =>
      eb.or([eb('site_id', '=', touched), eb('prior_site_id', '=', touched), eb('prior_runs', 'like', inRuns)]),
    ) as Q;
  }
  return out;
}

async function insertEvents(tx: Db, jobId: string, events: readonly JobTransition[]): Promise<void> {
  if (events.length === 0) return;
  const last = await tx
    .selectFrom('job_events')
    .select(sql<number>`COALESCE(MAX(seq), 0)`.as('seq'))
    .where('job_id', '=', jobId)
    .executeTakeFirst();
  let seq = Number(last?.seq ?? 0);
  await tx
    .insertInto('job_events')
    .values(
      events.map((e) => ({
        job_id: jobId,
        seq: ++seq,
        from_state: e.from,
        to_state: e.to,
        at: e.at,
        reason: e.reason,
      })),
    )
    .execute();
}

export function jobQueries(db: Db, dialect: Dialect): JobStore {
  return {
    async insertJob(job, events, entries) {
      await guarded('job', () =>
        writeTransaction(db, dialect, async (tx) => {
          await tx.insertInto('jobs').values(toRow(job)).execute();
          await insertEvents(tx, job.id, events);
          await stageLedgerEntries(tx, entries, job.updatedAt);
        }),
      );
      return job;
    },
    async getJob(id) {
      const r = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? fromRow(r) : null;
    },
    async listJobs(filter, page) {
      const limit = pageLimit(page);
      let q = jobsMatching(db.selectFrom('jobs').selectAll(), filter)
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (page?.after) q = q.where('id', '<', page.after);
      return toPage((await q.execute()).map(fromRow), limit);
    },
    async listRuns(siteId, since) {
      const rows = await db
        .selectFrom('jobs')
        .select(['id', 'spec', 'started_at', 'ended_at'])
        .where('site_id', '=', siteId)
        .where('started_at', 'is not', null)
        .where(goingSince(since))
        .orderBy('started_at')
        .execute();
      const runs: JobRun[] = rows.map((r) => ({
        jobId: r.id,
        gpus: (JSON.parse(r.spec) as JobSpec).resources.gpus,
        startedAt: Number(r.started_at),
        endedAt: num(r.ended_at),
      }));
      // Runs stopped there (preempted, or the site was lost) are kept in each job's prior_runs. The text match
      // only narrows the rows (an id's `_` matches any character); the JSON decides.
      const stopped = await db
        .selectFrom('jobs')
        .select(['id', 'spec', 'prior_runs'])
        .where('prior_runs', 'like', runsAtPattern(siteId))
        .where(goingSince(since))
        .execute();
      for (const r of stopped) {
        const gpus = (JSON.parse(r.spec) as JobSpec).resources.gpus;
        for (const p of json<JobRecord['priorRuns']>(r.prior_runs) ?? [])
          if (p.siteId === siteId && p.endedAt >= since)
            runs.push({ jobId: r.id, gpus, startedAt: p.startedAt, endedAt: p.endedAt });
      }
      return runs.sort((a, b) => a.startedAt - b.startedAt || (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
    },
    async listUsage(since) {
      const rows = await db
        .selectFrom('jobs')
        .select(['org_id', 'spec', 'started_at', 'ended_at', 'prior_run_ms'])
        .where((eb) => eb.or([eb('started_at', 'is not', null), eb('prior_run_ms', '>', 0)]))
        .where('ended_at', '>=', since)
        .execute();
      return rows.map((r) => ({
        orgId: r.org_id,
        gpus: (JSON.parse(r.spec) as JobSpec).resources.gpus,
        startedAt: num(r.started_at),
        endedAt: Number(r.ended_at),
        priorRunMs: Number(r.prior_run_ms),
      }));
    },
    async countJobs(filter) {
      const q = jobsMatching(db.selectFrom('jobs').select(['state', sql<number>`COUNT(*)`.as('n')]), filter).groupBy(
        'state',
      );
      const counts = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
      for (const r of await q.execute()) counts[r.state as JobState] = Number(r.n);
      return counts;
    },
    async saveJob(next, expectedVersion, events, messageId, entries) {
      if (next.version !== expectedVersion + 1) {
        throw new HetaoError('HETAO_STORE_CONFLICT', 'a job save must advance the version by exactly one', {
          field: 'version',
        });
      }
      await guarded('job', () =>
        writeTransaction(db, dialect, async (tx) => {
          if (messageId) {
            await tx
              .insertInto('agent_messages')
              .values({ message_id: messageId, job_id: next.id, at: next.updatedAt })
              .execute();
          }
          const row = toRow(next) as Partial<JobsTable>;
          delete row.id;
          const res = await tx
            .updateTable('jobs')
            .set(row)
            .where('id', '=', next.id)
            .where('version', '=', expectedVersion)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) {
            throw new HetaoError('HETAO_STORE_CONFLICT', `job ${next.id} changed since version ${expectedVersion}`, {
              field: 'version',
            });
          }
          await insertEvents(tx, next.id, events);
          await stageLedgerEntries(tx, entries, next.updatedAt);
        }),
      );
      return next;
    },
    async listJobEvents(jobId) {
      const rows = await db.selectFrom('job_events').selectAll().where('job_id', '=', jobId).orderBy('seq').execute();
      return rows.map((r) => ({
        jobId,
        from: r.from_state as JobState,
        to: r.to_state as JobState,
        at: Number(r.at),
        reason: r.reason,
      }));
    },
    async seenMessage(messageId) {
      return !!(await db
        .selectFrom('agent_messages')
        .select('message_id')
        .where('message_id', '=', messageId)
        .executeTakeFirst());
    },
    async appendJobLog(jobId, attempt, offset, text) {
      await db
        .insertInto('job_logs')
        .values({ job_id: jobId, attempt, offset, text })
        .onConflict((oc) => oc.columns(['job_id', 'attempt', 'offset']).doNothing())
        .execute();
    },
    async readJobLog(jobId, attempt) {
      let a = attempt;
      if (a === undefined) {
        const r = await db
          .selectFrom('job_logs')
          .select(sql<number>`MAX(attempt)`.as('a'))
          .where('job_id', '=', jobId)
          .executeTakeFirst();
        if (r?.a == null) return '';
        a = Number(r.a);
      }
      const rows = await db
        .selectFrom('job_logs')
        .select(['offset', 'text'])
        .where('job_id', '=', jobId)
        .where('attempt', '=', a)
        .orderBy('offset')
        .execute();
      return rows.map((r) => r.text).join('');
    },
  };
}
