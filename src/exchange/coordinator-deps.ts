import type { Clock, IdGenerator } from '../core/index.js';
import type { FlowDecider } from '../policy/types.js';
import type { RegistryStore } from '../registry/index.js';
import type { JobStore } from '../scheduler/job-store.js';
import type { SitePresence } from './site-presence.js';

/**
 * What the job services need: the registry and job ports, time, ids, the policy engine, and `flushLedger`, which
 * appends the ledger entries job changes staged in the store's outbox and resolves once they are in the log.
 */
export interface CoordinatorDeps {
  readonly registry: RegistryStore;
  readonly jobs: JobStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly decide: FlowDecider;
  readonly flushLedger: () => Promise<void>;
  /** When each site's agent last called; without it every site counts as present (tests that drive agents by hand). */
  readonly presence?: SitePresence;
}
