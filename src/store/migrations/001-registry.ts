import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/** The registry: organizations, associations, sites, data types, datasets, scenarios, the general data list. */
export const m001Registry: Migration = {
  version: 1,
  name: 'registry',
  async up(db: Kysely<unknown>) {
    const v = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
      t
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull());

    await v(
      db.schema
        .createTable('organizations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('zone', 'text')
        .addColumn('is_ciio', 'integer', (c) => c.notNull())
        .addColumn('is_startup', 'integer', (c) => c.notNull()),
    ).execute();

    await v(
      db.schema
        .createTable('associations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_a', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('org_b', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('shareholding_pct', 'double precision')
        .addColumn('evidence_digest', 'text', (c) => c.notNull())
        .addColumn('declared_by', 'text', (c) => c.notNull())
        .addColumn('confirmed_by', 'text')
        .addColumn('approved_by', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'bigint', (c) => c.notNull())
        .addColumn('valid_until', 'bigint'),
    ).execute();
    await db.schema.createIndex('associations_org_a').on('associations').column('org_a').execute();
    await db.schema.createIndex('associations_org_b').on('associations').column('org_b').execute();

    await v(
      db.schema
        .createTable('sites')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('operator_org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('latitude', 'double precision', (c) => c.notNull())
        .addColumn('longitude', 'double precision', (c) => c.notNull())
        .addColumn('gpus', 'text', (c) => c.notNull())
        .addColumn('price_per_gpu_hour', 'double precision', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('subsidies', 'text', (c) => c.notNull()),
    ).execute();

    await db.schema
      .createTable('data_types')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('default_classification', 'text', (c) => c.notNull())
      .addColumn('contains_pi', 'integer', (c) => c.notNull())
      .addColumn('sensitive_pi', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await v(
      db.schema
        .createTable('datasets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('owner_org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id'))
        .addColumn('data_type', 'text', (c) => c.notNull().references('data_types.name'))
        .addColumn('classification', 'text', (c) => c.notNull())
        .addColumn('contains_pi', 'integer', (c) => c.notNull())
        .addColumn('sensitive_pi', 'integer', (c) => c.notNull())
        .addColumn('individuals', 'bigint', (c) => c.notNull())
        .addColumn('size_bytes', 'bigint', (c) => c.notNull())
        .addColumn('content_digest', 'text', (c) => c.notNull())
        .addUniqueConstraint('datasets_owner_name', ['owner_org_id', 'name']),
    ).execute();

    await v(
      db.schema
        .createTable('scenarios')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('zone', 'text'),
    ).execute();

    await db.schema
      .createTable('scenario_participants')
      .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id'))
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scenario_participants_pk', ['scenario_id', 'org_id'])
      .execute();

    await v(
      db.schema
        .createTable('list_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scenario_id', 'text', (c) => c.notNull().references('scenarios.id'))
        .addColumn('data_type', 'text', (c) => c.notNull().references('data_types.name'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('assessment', 'text')
        .addColumn('effective_from', 'bigint')
        .addUniqueConstraint('list_entries_scenario_type', ['scenario_id', 'data_type']),
    ).execute();

    await db.schema
      .createTable('list_entry_versions')
      .addColumn('entry_id', 'text', (c) => c.notNull().references('list_entries.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('entry', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('list_entry_versions_pk', ['entry_id', 'version'])
      .execute();

    await db.schema
      .createTable('annual_counts')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('pi_individuals', 'bigint', (c) => c.notNull())
      .addColumn('sensitive_pi_individuals', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('annual_counts_pk', ['org_id', 'year'])
      .execute();
  },
};
