import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** Each stopped run of a job with its site and times (JSON), so every run is charged where it ran. */
export const m010PriorRunSites: Migration = {
  version: 10,
  name: 'prior-run-sites',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').addColumn('prior_runs', 'text').execute();
  },
};
