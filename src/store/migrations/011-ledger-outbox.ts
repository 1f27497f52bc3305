import type { Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Ledger entries written in the same transaction as the change they record (a job's transition, a flow
 * decision), waiting to be appended to the log; the log's commit deletes them in its own transaction, so each is
 * appended exactly once, after a crash too. The id orders them; `ref` names the record told the entry's index
 * once it is in the log (`flow:<id>`).
 */
export const m011LedgerOutbox: Migration = {
  version: 11,
  name: 'ledger-outbox',
  async up(db: Kysely<unknown>, dialect) {
    await db.schema
      .createTable('ledger_outbox')
      .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
        dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('entry', 'text', (c) => c.notNull())
      .addColumn('ref', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
