import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Idempotency keys and the answers they were given (the API's Idempotency-Key header), per account. `status` is
 * null while the request is being handled by the process `owner`.
 */
export const m012IdempotencyKeys: Migration = {
  version: 12,
  name: 'idempotency-keys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('body', 'text')
      .addColumn('content_type', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
      .execute();
    await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
  },
};
