import type { Kysely } from 'kysely';

/** One schema step. Versions are consecutive from 1; a migration never changes once released. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}
