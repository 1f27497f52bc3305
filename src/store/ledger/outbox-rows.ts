import type { Kysely } from 'kysely';
import type { LedgerEntryOf } from '../../registry/index.js';
import type { Dialect, Tables } from '../schema.js';
import { writeTransaction } from '../write-transaction.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Stages ledger entries (canonical bytes) in the outbox, inside the transaction `tx` of the change they record;
 * the ledger appends them from there (OutboxDrain). `ref` names the record the entry is of: the commit that
 * appends it writes its index to ledger_refs under that name.
 */
export async function stageLedgerEntries(
  tx: Kysely<Tables>,
  entries: readonly Uint8Array[] | undefined,
  at: number,
  ref: string | null = null,
): Promise<void> {
  if (!entries?.length) return;
  await tx
    .insertInto('ledger_outbox')
    .values(entries.map((e) => ({ entry: utf8.decode(e), ref, created_at: at })))
    .execute();
}

/**
 * Runs `write` and, when `entryOf` is given, stages the entry it makes of the written object in the outbox, both in
 * one write transaction (see LedgerEntryOf). A write that is `atomic` alone (one statement, or an optimistic
 * read-then-conditional-update) runs outside a transaction when there is no entry, as it always could; `write`
 * never opens a transaction of its own.
 */
export function writeWithEntry<T>(
  db: Kysely<Tables>,
  dialect: Dialect,
  at: number,
  entryOf: LedgerEntryOf<T> | undefined,
  write: (q: Kysely<Tables>) => Promise<T>,
  atomic = true,
): Promise<T> {
  if (!entryOf && atomic) return write(db);
  return writeTransaction(db, dialect, async (tx) => {
    const out = await write(tx);
    if (entryOf) await stageLedgerEntries(tx, [entryOf(out)], at);
    return out;
  });
}

/** OutboxReader.rejectOutbox: moves the row to ledger_outbox_rejected, in one transaction. */
export async function rejectOutboxRow(
  db: Kysely<Tables>,
  dialect: Dialect,
  id: number,
  reason: string,
  at: number,
): Promise<void> {
  await writeTransaction(db, dialect, async (tx) => {
    const row = await tx.selectFrom('ledger_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return;
    await tx
      .insertInto('ledger_outbox_rejected')
      .values({
        id: Number(row.id),
        entry: row.entry,
        ref: row.ref,
        created_at: row.created_at,
        reason,
        rejected_at: at,
      })
      .execute();
    await tx.deleteFrom('ledger_outbox').where('id', '=', id).execute();
  });
}

/** OutboxReader.countRejectedOutbox. */
export async function countRejectedOutbox(db: Kysely<Tables>): Promise<number> {
  const r = await db
    .selectFrom('ledger_outbox_rejected')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
