import { type Kysely, sql } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { Dialect } from '../schema.js';
import { writeTransaction } from '../write-transaction.js';
import { m001Registry } from './001-registry.js';
import { m002Exchange } from './002-exchange.js';
import { m003Ledger } from './003-ledger.js';
import { m004Jobs } from './004-jobs.js';
import { m005LedgerTiles } from './005-ledger-tiles.js';
import { m006LedgerStorage } from './006-ledger-storage.js';
import { m007FairShare } from './007-fair-share.js';
import { m008PriorRuns } from './008-prior-runs.js';
import { m009PriorSite } from './009-prior-site.js';
import { m010PriorRunSites } from './010-prior-run-sites.js';
import { m011LedgerOutbox } from './011-ledger-outbox.js';
import { m012IdempotencyKeys } from './012-idempotency-keys.js';
import { m013LedgerRefs } from './013-ledger-refs.js';
import { m014ExchangeLease } from './014-exchange-lease.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  m001Registry,
  m002Exchange,
  m003Ledger,
  m004Jobs,
  m005LedgerTiles,
  m006LedgerStorage,
  m007FairShare,
  m008PriorRuns,
  m009PriorSite,
  m010PriorRunSites,
  m011LedgerOutbox,
  m012IdempotencyKeys,
  m013LedgerRefs,
  m014ExchangeLease,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

export interface MigrationReport {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

// An arbitrary constant: the PostgreSQL advisory lock key that serialises concurrent migrators.
const PG_LOCK_KEY = 0x6865_7461;

/**
 * Brings the database to the newest schema this code knows, in one transaction (both dialects run DDL
 * transactionally), serialised against concurrent migrators. A database newer than the code is refused.
 */
export async function migrate(
  db: Kysely<unknown>,
  dialect: Dialect,
  now: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  await db.schema
    .createTable('hetao_schema_version')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
  const latest = migrations.length;
  return writeTransaction(db, dialect, async (tx) => {
    if (dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(tx);
    const row = await sql<{ v: number | null }>`SELECT MAX(version) AS v FROM hetao_schema_version`.execute(tx);
    const current = Number(row.rows[0]?.v ?? 0);
    if (current > latest) {
      throw new HetaoError(
        'HETAO_STORE_SCHEMA_TOO_NEW',
        `the database is at schema version ${current}, but this Hetao knows only up to ${latest}: run the newer Hetao that migrated it`,
      );
    }
    const applied: string[] = [];
    for (const m of migrations.slice(current)) {
      try {
        await m.up(tx, dialect);
      } catch (cause) {
        throw new HetaoError(
          'HETAO_STORE_MIGRATION_FAILED',
          `migration ${m.version} (${m.name}) failed and was rolled back: ${(cause as Error).message}`,
          { cause },
        );
      }
      await sql`INSERT INTO hetao_schema_version (version, name, applied_at) VALUES (${m.version}, ${m.name}, ${now})`.execute(
        tx,
      );
      applied.push(`${m.version}-${m.name}`);
    }
    return { from: current, to: latest, applied };
  });
}

export async function schemaVersion(db: Kysely<unknown>): Promise<number> {
  try {
    const row = await sql<{ v: number | null }>`SELECT MAX(version) AS v FROM hetao_schema_version`.execute(db);
    return Number(row.rows[0]?.v ?? 0);
  } catch {
    return 0;
  }
}
