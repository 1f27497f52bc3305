import type { Kysely } from 'kysely';
import type { Tables } from '../schema.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Stages ledger entries (canonical bytes) in the outbox, inside the transaction `tx` of the change they record;
 * the ledger appends them from there (OutboxDrain). `ref` names the record told the index once appended.
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
