import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * The transparency ledger (LedgerStore port, src/ledger/ledger-store.ts) and witness state. Bytes are `bytea` on
 * PostgreSQL and `blob` on SQLite; both drivers read them as Buffer. `ledger_head` holds exactly one row (id 1),
 * created here with size 0, so every commit is an UPDATE guarded by the size it expects.
 */
export const m003Ledger: Migration = {
  version: 3,
  name: 'ledger',
  async up(db: Kysely<unknown>) {
    const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
    await db.schema
      .createTable('ledger_entries')
      .addColumn('idx', 'bigint', (c) => c.primaryKey())
      .addColumn('bytes', bytes, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ledger_hashes')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', 'bigint', (c) => c.notNull())
      .addColumn('hash', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_hashes_pk', ['level', 'idx'])
      .execute();
    await db.schema
      .createTable('ledger_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('checkpoint', 'text')
      .addColumn('published_size', 'bigint', (c) => c.notNull())
      .addColumn('published', 'text')
      .execute();
    await sql`INSERT INTO ledger_head (id, size, checkpoint, published_size, published) VALUES (1, 0, NULL, 0, NULL)`.execute(
      db,
    );
    await db.schema
      .createTable('witness_state')
      .addColumn('witness', 'text', (c) => c.notNull())
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('root_hash', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('witness_state_pk', ['witness', 'origin'])
      .execute();
  },
};
