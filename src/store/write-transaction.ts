import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from './schema.js';

/**
 * Runs `fn` in a write transaction. On SQLite it begins IMMEDIATE, taking the write lock up front, so that a
 * second process waits (busy timeout) at BEGIN instead of failing mid-transaction when it tries to upgrade a
 * read lock. On PostgreSQL it is an ordinary transaction.
 */
export async function writeTransaction<DB, T>(
  db: Kysely<DB>,
  dialect: Dialect,
  fn: (tx: Kysely<DB> | Transaction<DB>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute(fn);
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    try {
      const out = await fn(conn);
      await sql`COMMIT`.execute(conn);
      return out;
    } catch (err) {
      await sql`ROLLBACK`.execute(conn).catch(() => {});
      throw err;
    }
  });
}
