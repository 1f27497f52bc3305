import { type Kysely, sql } from 'kysely';
import type { Tables } from '../schema.js';

/** What claiming a lease found: it is this holder's now, or another holds it until `expiresAt`. */
export type LeaseClaim =
  | { readonly held: true }
  | { readonly held: false; readonly holder: string; readonly expiresAt: number };

/**
 * Named leases on the database (process_leases), each held by at most one holder at a time. A claim takes the lease
 * when it is free, expired, already the claimant's, or held by `takeOverFrom` (a holder the caller knows is gone);
 * it is one conditional statement, so of two claimants exactly one wins.
 */
export interface ProcessLeaseStore {
  claim(name: string, holder: string, now: number, ttlMs: number, takeOverFrom?: string): Promise<LeaseClaim>;
  /** Gives the lease up if `holder` still holds it. */
  release(name: string, holder: string): Promise<void>;
}

export function leaseQueries(db: Kysely<Tables>): ProcessLeaseStore {
  return {
    async claim(name, holder, now, ttlMs, takeOverFrom) {
      const until = now + ttlMs;
      await db
        .insertInto('process_leases')
        .values({ name, holder, expires_at: until })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet({ holder, expires_at: until })
            .where((eb) =>
              eb.or([
                eb('process_leases.holder', '=', holder),
                eb('process_leases.expires_at', '<=', now),
                ...(takeOverFrom === undefined ? [] : [eb('process_leases.holder', '=', takeOverFrom)]),
              ]),
            ),
        )
        .execute();
      const row = await db
        .selectFrom('process_leases')
        .select(['holder', 'expires_at'])
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return row.holder === holder && Number(row.expires_at) === until
        ? { held: true }
        : { held: false, holder: row.holder, expiresAt: Number(row.expires_at) };
    },
    async release(name, holder) {
      await db
        .updateTable('process_leases')
        .set({ expires_at: sql<number>`0` })
        .where('name', '=', name)
        .where('holder', '=', holder)
        .execute();
    },
  };
}
