import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * PostgreSQL storage of the ledger's tile rows. Entry bundles (up to 256 entries, tens of kB of JSON-like text)
 * are compressed with lz4 instead of the default pglz, which costs about half of a durable batch's commit time;
 * tile rows (concatenated SHA-256 hashes, incompressible) are stored out of line without a compression attempt.
 * Values already stored keep their form. A server built without lz4 keeps pglz. SQLite: nothing to change.
 */
export const m006LedgerStorage: Migration = {
  version: 6,
  name: 'ledger-storage',
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`ALTER TABLE ledger_tiles ALTER COLUMN hashes SET STORAGE EXTERNAL`.execute(db);
    await sql`
      DO $$ BEGIN
        ALTER TABLE ledger_bundles ALTER COLUMN bytes SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN NULL;
      END $$`.execute(db);
  },
};
