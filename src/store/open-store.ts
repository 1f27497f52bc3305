import type { Kysely } from 'kysely';
import type { AccountStore, IdempotencyStore } from '../access/index.js';
import type { LedgerStore, OutboxReader, PublishedCheckpointStore, WitnessStateStore } from '../ledger/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { JobStore } from '../scheduler/job-store.js';
import { jobQueries } from './jobs/job-queries.js';
import { SqlLedgerStore } from './ledger/sql-ledger-store.js';
import { SqlWitnessStateStore } from './ledger/sql-witness-state-store.js';
import { type MigrationReport, migrate } from './migrations/index.js';
import { openPostgres } from './postgres/open-postgres.js';
import { accountQueries } from './registry/exchange-queries.js';
import { idempotencyQueries } from './registry/idempotency-queries.js';
import { leaseQueries, type ProcessLeaseStore } from './registry/lease-queries.js';
import { createRegistryStore } from './registry/registry-store.js';
import type { Dialect, Tables } from './schema.js';
import { openSqlite } from './sqlite/open-sqlite.js';

export type StoreTarget =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string; readonly maxConnections?: number };

/** An open store: every port over one connection (SQLite) or one pool (PostgreSQL). */
export interface Store {
  readonly dialect: Dialect;
  readonly db: Kysely<Tables>;
  readonly registry: RegistryStore;
  readonly accounts: AccountStore;
  /** The API's idempotency keys and the answers they were given. */
  readonly idempotency: IdempotencyStore;
  /** Named leases on the database: one exchange process per database. */
  readonly leases: ProcessLeaseStore;
  readonly jobs: JobStore;
  /** The transparency ledger's storage (and the exchange's latest published checkpoint). */
  readonly ledger: LedgerStore & PublishedCheckpointStore & OutboxReader;
  /** The state of the witness named `witness` (several witnesses may share one database). */
  witnessState(witness: string): WitnessStateStore;
  migrate(now: number): Promise<MigrationReport>;
  close(): Promise<void>;
}

export function openStore(target: StoreTarget): Store {
  const { db, dialect, raw } =
    target.kind === 'sqlite'
      ? { ...openSqlite({ path: target.path }), dialect: 'sqlite' as const }
      : {
          db: openPostgres({
            url: target.url,
            ...(target.schema ? { schema: target.schema } : {}),
            ...(target.maxConnections ? { maxConnections: target.maxConnections } : {}),
          }).db,
          dialect: 'postgres' as const,
          raw: undefined,
        };
  return {
    dialect,
    db,
    registry: createRegistryStore(db, dialect),
    accounts: accountQueries(db),
    idempotency: idempotencyQueries(db),
    leases: leaseQueries(db),
    jobs: jobQueries(db, dialect),
    ledger: new SqlLedgerStore(db, dialect, raw),
    witnessState: (witness) => new SqlWitnessStateStore(db, witness),
    migrate: (now) => migrate(db as unknown as Kysely<unknown>, dialect, now),
    close: () => db.destroy(),
  };
}
