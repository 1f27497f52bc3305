import type { Kysely } from 'kysely';
import { IDEMPOTENCY_KEEP_MS, type IdempotencyStore, type KeyClaim } from '../../access/index.js';
import type { IdempotencyKeysTable, Tables } from '../schema.js';

/** Expired keys are deleted at most this often, ms, by the claim that finds the time has come. */
const PURGE_EVERY_MS = 60_000;

function claimOf(row: IdempotencyKeysTable, fingerprint: string, owner: string): KeyClaim {
  if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
  const since = Number(row.created_at);
  if (row.status === null) return row.owner === owner ? { kind: 'in-flight', since } : { kind: 'unknown', since };
  return {
    kind: 'answered',
    answer: { status: row.status, body: row.body ?? '', contentType: row.content_type ?? 'application/json' },
  };
}

export function idempotencyQueries(db: Kysely<Tables>): IdempotencyStore {
  let purgedAt = Number.NEGATIVE_INFINITY;
  return {
    async claimKey(accountId, key, fingerprint, owner, now) {
      const expiredBefore = now - IDEMPOTENCY_KEEP_MS;
      if (now - purgedAt >= PURGE_EVERY_MS) {
        purgedAt = now;
        await db.deleteFrom('idempotency_keys').where('created_at', '<', expiredBefore).execute();
      }
      const fresh = { fingerprint, owner, status: null, body: null, content_type: null, created_at: now };
      for (;;) {
        const ins = await db
          .insertInto('idempotency_keys')
          .values({ account_id: accountId, key, ...fresh })
          .onConflict((oc) => oc.columns(['account_id', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(ins.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'claimed' };
        const row = await db
          .selectFrom('idempotency_keys')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('key', '=', key)
          .executeTakeFirst();
        if (!row) continue; // purged in between: insert again
        if (Number(row.created_at) >= expiredBefore) return claimOf(row, fingerprint, owner);
        // Expired but not yet purged: take it over, unless another claim did first.
        const up = await db
          .updateTable('idempotency_keys')
          .set(fresh)
          .where('account_id', '=', accountId)
          .where('key', '=', key)
          .where('created_at', '=', row.created_at)
          .executeTakeFirst();
        if (Number(up.numUpdatedRows) === 1) return { kind: 'claimed' };
      }
    },
    async answerKey(accountId, key, answer) {
      await db
        .updateTable('idempotency_keys')
        .set({ status: answer.status, body: answer.body, content_type: answer.contentType })
        .where('account_id', '=', accountId)
        .where('key', '=', key)
        .execute();
    },
    async releaseKey(accountId, key) {
      await db
        .deleteFrom('idempotency_keys')
        .where('account_id', '=', accountId)
        .where('key', '=', key)
        .where('status', 'is', null)
        .execute();
    },
  };
}
