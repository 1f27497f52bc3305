import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The log index of each staged entry that names its record (`ref`, e.g. `flow:<id>`), written by the commit that
 * appends the entry, so a record's ledger index is never missing once its entry is in the log.
 */
export const m013LedgerRefs: Migration = {
  version: 13,
  name: 'ledger-refs',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ledger_refs')
      .addColumn('ref', 'text', (c) => c.primaryKey())
      .addColumn('idx', 'bigint', (c) => c.notNull())
      .execute();
  },
};
