import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** Time a job ran in runs stopped by preemption, charged and counted as use with its last run. */
export const m008PriorRuns: Migration = {
  version: 8,
  name: 'prior-runs',
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('jobs')
      .addColumn('prior_run_ms', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
