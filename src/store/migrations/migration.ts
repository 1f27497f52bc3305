import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/** One schema step. Versions are consecutive from 1; a migration never changes once released. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** `dialect` for the few types the two databases spell differently (an identity column). */
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}
