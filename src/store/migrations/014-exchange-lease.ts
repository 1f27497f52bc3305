import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Leases on the database: one row per name (`exchange`), held by one process until it expires unless renewed, so a
 * second exchange started on the same database refuses to run beside the first (its queues and ledger drain
 * assume they are alone).
 */
export const m014ExchangeLease: Migration = {
  version: 14,
  name: 'exchange-lease',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('process_leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
