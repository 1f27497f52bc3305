import type { Kysely } from 'kysely';
import type { RegistryStore } from '../../registry/index.js';
import type { Dialect, Tables } from '../schema.js';
import { countQueries } from './count-queries.js';
import { entityQueries } from './entity-queries.js';
import { agreementQueries } from './exchange-queries.js';
import { listQueries } from './list-queries.js';
import { scenarioQueries } from './scenario-queries.js';

/** The registry over Kysely: the same queries serve SQLite and PostgreSQL. */
export function createRegistryStore(db: Kysely<Tables>, dialect: Dialect): RegistryStore {
  return {
    ...entityQueries(db, dialect),
    ...scenarioQueries(db, dialect),
    ...listQueries(db, dialect),
    ...countQueries(db),
    ...agreementQueries(db, dialect),
  };
}
