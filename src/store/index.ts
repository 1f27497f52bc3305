export { translateDriverError } from './driver-errors.js';
export {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  type Migration,
  type MigrationReport,
  migrate,
  schemaVersion,
} from './migrations/index.js';
export { openStore, type Store, type StoreTarget } from './open-store.js';
export type { LeaseClaim, ProcessLeaseStore } from './registry/lease-queries.js';
export type { Dialect, Tables } from './schema.js';
