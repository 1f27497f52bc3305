import type { Kysely } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { ListEntryStore } from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import { writeWithEntry } from '../ledger/outbox-rows.js';
import type { Dialect, Tables } from '../schema.js';
import { listEntryFromRow, listEntryToRow, listVersionFromRow, listVersionToRow } from './rows.js';

/** The list's staged bytes as the shared writer takes them (made before the write: they do not depend on it). */
const staged = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : () => bytes);

export function listQueries(db: Kysely<Tables>, dialect: Dialect): ListEntryStore {
  return {
    insertListEntry(entry, first, ledgerEntry) {
      return guarded('list entry', () =>
        writeWithEntry(
          db,
          dialect,
          entry.updatedAt,
          staged(ledgerEntry),
          async (tx) => {
            await tx.insertInto('list_entries').values(listEntryToRow(entry)).execute();
            await tx.insertInto('list_entry_versions').values(listVersionToRow(first)).execute();
            return entry;
          },
          false,
        ),
      );
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
      return guarded('list entry', () =>
        writeWithEntry(
          db,
          dialect,
          next.updatedAt,
          staged(ledgerEntry),
          async (tx) => {
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
            return next;
          },
          false,
        ),
      );
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
