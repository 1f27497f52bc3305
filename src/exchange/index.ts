export {
  AgentLeases,
  type AgentReport,
  type HeartbeatAnswer,
  type LeaseGrant,
  MAX_LOST_ATTEMPTS,
} from './agent-leases.js';
export { type CoordinatorDeps, JobCoordinator } from './job-coordinator.js';
export { flushAfter } from './job-mutation.js';
export { limitLeft } from './placement-facts-builder.js';
export { LEASE_GRACE_MS, LEASE_TTL_MS, type TickReport } from './scheduling-tick.js';
export { SITE_SILENT_AFTER_MS, type Silence, SitePresence, silenceReason } from './site-presence.js';
export { type SiteUsage, SiteUsageTracker, type UsageSample } from './site-usage.js';
