import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Fair share in the exchange: each organization's guaranteed share of the GPUs (existing organizations get none),
 * and an index for reading the runs that ended since a time (usage).
 */
export const m007FairShare: Migration = {
  version: 7,
  name: 'fair-share',
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('organizations')
      .addColumn('gpu_share', 'double precision', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('jobs_ended_at').on('jobs').column('ended_at').execute();
  },
};
