import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** Where a job waiting again after stopped runs last ran: its site prices those runs if it is cancelled then. */
export const m009PriorSite: Migration = {
  version: 9,
  name: 'prior-site',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('jobs').addColumn('prior_site_id', 'text').execute();
  },
};
