import type { AccountStore, IdempotencyStore } from '../access/index.js';
import type { Clock, IdGenerator } from '../core/index.js';
import type { AgentLeases, JobCoordinator, SitePresence } from '../exchange/index.js';
import type { PolicyParameters } from '../policy/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { JobStore } from '../scheduler/job-store.js';

/**
 * The transparency ledger as the API writes it. Every change the API makes stages its entry in the store's outbox
 * in the change's own transaction; `flush` appends what is staged and resolves once it is durable.
 */
export interface LedgerRecorder {
  flush(): Promise<void>;
}

export interface SiteUsage {
  readonly gpusTotal: number;
  readonly gpusBusy: number;
  readonly queued: number;
  readonly running: number;
}

/** Live and historical use of each site's GPUs, from the scheduler's view. */
export interface UsageReader {
  bySite(): Promise<ReadonlyMap<string, SiteUsage>>;
  history(
    siteId: string,
    since: number,
    until: number,
  ): Promise<readonly { at: number; gpusBusy: number; gpusTotal: number }[]>;
}

/** The ledger's head, for the overview. */
export interface LedgerStatus {
  size(): number;
  /** The latest checkpoint that met the witness policy (note text), or undefined before the first. */
  published(): Promise<string | undefined>;
}

/** What every resource plugin may use. The composition root (app/) builds it from concrete adapters. */
export interface ApiDeps {
  readonly registry: RegistryStore;
  readonly accounts: AccountStore;
  /** Idempotency keys of POST and PATCH requests, and the answers they were given. */
  readonly idempotency: IdempotencyStore;
  /** When each site's agent last called; GET /sites shows it (omitted where the exchange does not track it). */
  readonly presence?: SitePresence;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly policyParams: PolicyParameters;
  readonly ledger: LedgerRecorder;
  readonly ledgerStatus: LedgerStatus;
  readonly usage: UsageReader;
  readonly jobs: JobStore;
  readonly coordinator: JobCoordinator;
  readonly leases: AgentLeases;
}
