import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Tables } from '../schema.js';

export interface PostgresOptions {
  readonly url: string;
  /** Schema to use (created if missing); tests use one schema each. Default: the server's search_path. */
  readonly schema?: string;
  /** Pool size. Default 10. */
  readonly maxConnections?: number;
}

// int8 (bigint) columns hold epoch milliseconds and counts, well inside 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));
// float8
pg.types.setTypeParser(701, (v) => Number(v));

export function openPostgres(options: PostgresOptions): { db: Kysely<Tables>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the next query reports the error.
  pool.on('error', () => {});
  return { db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), pool };
}
