import type { Expression, Kysely, SqlBool } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { Page, PageRequest } from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import type { Tables } from '../schema.js';

type VersionedTable = 'organizations' | 'associations' | 'sites' | 'datasets';

/**
 * Optimistic update: read, merge, and write back only where the version is still `expectedVersion`. The
 * conditional UPDATE is atomic in both databases, so of two racing writers exactly one succeeds. A `guard`
 * adds a condition the same UPDATE checks; when only it fails, `refused` says why.
 */
export async function updateVersioned<E extends { id: string; version: number; updatedAt: number }, R>(
  db: Kysely<Tables>,
  table: VersionedTable,
  what: string,
  id: string,
  expectedVersion: number,
  patch: Partial<E>,
  at: number,
  rows: { from: (r: R) => E; to: (e: E) => R },
  guard?: { readonly holds: Expression<SqlBool>; readonly refused: () => Promise<HetaoError> },
): Promise<E> {
  return guarded(what, async () => {
    const current = await db.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirst();
    if (!current) throw new HetaoError('HETAO_STORE_NOT_FOUND', `${what} ${id} does not exist`, { field: 'id' });
    const merged: E = { ...rows.from(current as R), ...patch, id, version: expectedVersion + 1, updatedAt: at };
    const row = rows.to(merged) as Record<string, unknown>;
    delete row.id;
    delete row.created_at;
    let update = db.updateTable(table).set(row).where('id', '=', id).where('version', '=', expectedVersion);
    if (guard) update = update.where(guard.holds);
    const res = await update.executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) {
      if (guard) {
        const now = await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirst();
        if (now?.version === expectedVersion) throw await guard.refused();
      }
      throw new HetaoError(
        'HETAO_STORE_CONFLICT',
        `${what} ${id} changed since version ${expectedVersion} was read; read it again and retry`,
        { field: 'version' },
      );
    }
    return merged;
  });
}

export function pageLimit(page: PageRequest | undefined): number {
  const limit = page?.limit ?? 100;
  return Math.min(500, Math.max(1, Math.floor(limit)));
}

/** Rows fetched with limit+1; the extra row proves a next page exists. */
export function toPage<T extends { id: string }>(items: T[], limit: number): Page<T> {
  if (items.length <= limit) return { items, next: null };
  const page = items.slice(0, limit);
  return { items: page, next: page[page.length - 1]?.id ?? null };
}
