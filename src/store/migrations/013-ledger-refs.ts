import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * `ledger_refs`: the log index of each staged entry that names its record (`ref`, e.g. `flow:<id>`), written by
 * the commit that appends the entry, so a record's ledger index is never missing once its entry is in the log.
 * `ledger_outbox_rejected`: staged rows set aside because they can never be appended (not a valid canonical
 * entry), with why, so they do not hold back the rows after them.
 */
export const m013LedgerRefs: Migration = {
  version: 13,
  name: 'ledger-refs-and-rejects',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ledger_refs')
      .addColumn('ref', 'text', (c) => c.primaryKey())
      .addColumn('idx', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ledger_outbox_rejected')
      .addColumn('id', 'bigint', (c) => c.primaryKey())
      .addColumn('entry', 'text', (c) => c.notNull())
      .addColumn('ref', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('rejected_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
