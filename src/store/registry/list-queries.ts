import type { Kysely } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { ListEntryStore } from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import { stageLedgerEntries } from '../ledger/outbox-rows.js';
import type { Tables } from '../schema.js';
import { listEntryFromRow, listEntryToRow, listVersionFromRow, listVersionToRow } from './rows.js';

export function listQueries(db: Kysely<Tables>): ListEntryStore {
  return {
    async insertListEntry(entry, first, ledgerEntry) {
      await guarded('list entry', () =>
        db.transaction().execute(async (tx) => {
          await tx.insertInto('list_entries').values(listEntryToRow(entry)).execute();
          await tx.insertInto('list_entry_versions').values(listVersionToRow(first)).execute();
          await stageLedgerEntries(tx, ledgerEntry && [ledgerEntry], entry.updatedAt);
        }),
      );
      return entry;
    },
    async getListEntry(id) {
      const r = await db.selectFrom('list_entries').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? listEntryFromRow(r) : null;
    },
    async findListEntry(scenarioId, dataType) {
      const r = await db
        .selectFrom('list_entries')
        .selectAll()
        .where('scenario_id', '=', scenarioId)
        .where('data_type', '=', dataType)
        .executeTakeFirst();
      return r ? listEntryFromRow(r) : null;
    },
    async listEntriesOf(scenarioId) {
      const rows = await db
        .selectFrom('list_entries')
        .selectAll()
        .where('scenario_id', '=', scenarioId)
        .orderBy('data_type')
        .execute();
      return rows.map(listEntryFromRow);
    },
    async saveListTransition(next, expectedVersion, record, ledgerEntry) {
      if (next.version !== expectedVersion + 1 || record.version !== next.version) {
        throw new HetaoError('HETAO_STORE_CONFLICT', 'a list transition must advance the version by exactly one', {
          field: 'version',
        });
      }
      await guarded('list entry', () =>
        db.transaction().execute(async (tx) => {
          const row = listEntryToRow(next) as Partial<ReturnType<typeof listEntryToRow>>;
          delete row.id;
          delete row.created_at;
          const res = await tx
            .updateTable('list_entries')
            .set(row)
            .where('id', '=', next.id)
            .where('version', '=', expectedVersion)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) !== 1) {
            throw new HetaoError(
              'HETAO_STORE_CONFLICT',
              `list entry ${next.id} changed since version ${expectedVersion}; read it again and retry`,
              { field: 'version' },
            );
          }
          await tx.insertInto('list_entry_versions').values(listVersionToRow(record)).execute();
          await stageLedgerEntries(tx, ledgerEntry && [ledgerEntry], next.updatedAt);
        }),
      );
      return next;
    },
    async listEntryHistory(entryId) {
      const rows = await db
        .selectFrom('list_entry_versions')
        .selectAll()
        .where('entry_id', '=', entryId)
        .orderBy('version')
        .execute();
      return rows.map(listVersionFromRow);
    },
  };
}
