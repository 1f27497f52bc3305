import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** Accounts (hashed bearer tokens), agreements and approvals, and real flow requests. */
export const m002Exchange: Migration = {
  version: 2,
  name: 'exchange',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('side', 'text')
      .addColumn('site_id', 'text')
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await db.schema
      .createTable('agreements')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('exporter_org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('importer_org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('data_types', 'text', (c) => c.notNull())
      .addColumn('filed_at', 'bigint')
      .addColumn('valid_from', 'bigint', (c) => c.notNull())
      .addColumn('valid_until', 'bigint')
      .addColumn('evidence_digest', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('agreements_parties')
      .on('agreements')
      .columns(['exporter_org_id', 'importer_org_id'])
      .execute();

    await db.schema
      .createTable('flow_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('requester_org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('exporter_org_id', 'text', (c) => c.notNull())
      .addColumn('importer_org_id', 'text', (c) => c.notNull())
      .addColumn('dataset_id', 'text', (c) => c.notNull())
      .addColumn('scenario_id', 'text')
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('permitted', 'integer', (c) => c.notNull())
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('ledger_index', 'bigint')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('flow_requests_at').on('flow_requests').column('at').execute();
  },
};
