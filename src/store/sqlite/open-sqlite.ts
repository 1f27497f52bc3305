import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { Tables } from '../schema.js';

export interface SqliteOptions {
  /** File path, or ':memory:'. */
  readonly path: string;
  /** How long a writer waits for another connection's lock, ms. Default 5000. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens SQLite for the store: WAL (readers never block the writer), foreign keys on, a busy timeout, and
 * synchronous=FULL so a committed transaction survives power loss, not only a process crash.
 */
export function openSqlite(options: SqliteOptions): { db: Kysely<Tables>; raw: Sqlite.Database } {
  let raw: Sqlite.Database;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    raw = new Sqlite(options.path);
  } catch (cause) {
    throw new HetaoError(
      'HETAO_STORE_UNAVAILABLE',
      `cannot open SQLite database ${options.path}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  raw.pragma('synchronous = FULL');
  return { db: new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) }), raw };
}
