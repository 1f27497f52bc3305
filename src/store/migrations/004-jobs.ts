import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** Jobs, their transitions, their logs, and processed agent messages (idempotent retries). */
export const m004Jobs: Migration = {
  version: 4,
  name: 'jobs',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('submitted_by', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('site_id', 'text')
      .addColumn('placement', 'text')
      .addColumn('waiting_reason', 'text')
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('lease_token', 'integer', (c) => c.notNull())
      .addColumn('lease_expires_at', 'bigint')
      .addColumn('execution', 'text')
      .addColumn('cost', 'text')
      .addColumn('started_at', 'bigint')
      .addColumn('ended_at', 'bigint')
      .execute();
    await db.schema.createIndex('jobs_state').on('jobs').columns(['state', 'site_id']).execute();
    await db.schema.createIndex('jobs_org').on('jobs').columns(['org_id', 'id']).execute();

    await db.schema
      .createTable('job_events')
      .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('from_state', 'text', (c) => c.notNull())
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('job_events_pk', ['job_id', 'seq'])
      .execute();

    await db.schema
      .createTable('job_logs')
      .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('offset', 'bigint', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('job_logs_pk', ['job_id', 'attempt', 'offset'])
      .execute();

    await db.schema
      .createTable('agent_messages')
      .addColumn('message_id', 'text', (c) => c.primaryKey())
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
