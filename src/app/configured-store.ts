import type { Config } from '../config/index.js';
import { sqlitePath } from '../config/index.js';
import { openStore, type Store, type StoreTarget } from '../store/index.js';

export function storeTarget(config: Config): StoreTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'sqlite', path: sqlitePath(config) };
}

/** Opens the configured store (PostgreSQL when HETAO_DATABASE_URL is set, else SQLite in HETAO_HOME). */
export function openConfiguredStore(config: Config): Store {
  return openStore(storeTarget(config));
}
