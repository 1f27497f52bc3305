import type { Kysely } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { Hash, LedgerBatch, LedgerStore, NodeRef, PublishedCheckpointStore } from '../../ledger/index.js';
import type { Dialect, Tables } from '../schema.js';
import { writeTransaction } from '../write-transaction.js';
import { asBuffer, chunks } from './bytes.js';

/**
 * Rows per multi-row INSERT. SQLite allows 32766 bound parameters per statement and PostgreSQL 65535; entries
 * bind 2 per row and hashes 3, so 4000 rows stay far below both while keeping statements few.
 */
const INSERT_ROWS = 4000;
/** Node lookups per SELECT (2 parameters each). */
const NODE_LOOKUP = 256;

function notFound(what: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_NOT_FOUND', `${what} are not stored`);
}

/**
 * The LedgerStore port over Kysely, one set of queries for SQLite and PostgreSQL (migration 003). A commit is
 * one write transaction that first moves `ledger_head` from `fromSize` to the new size with a guarded UPDATE —
 * the compare-and-set that makes a second writer or a replayed batch a HETAO_LEDGER_STORE_CONFLICT (on
 * PostgreSQL the row lock also serialises concurrent committers) — then inserts entries and hashes. It resolves
 * after COMMIT, which is durable: SQLite runs WAL with synchronous=FULL, PostgreSQL fsyncs its WAL on commit.
 */
export class SqlLedgerStore implements LedgerStore, PublishedCheckpointStore {
  readonly #db: Kysely<Tables>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<Tables>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async appendBatch(batch: LedgerBatch): Promise<void> {
    const size = batch.fromSize + batch.entries.length;
    try {
      await writeTransaction(this.#db, this.#dialect, async (tx) => {
        const moved = await tx
          .updateTable('ledger_head')
          .set({ size, checkpoint: batch.checkpoint })
          .where('id', '=', 1)
          .where('size', '=', batch.fromSize)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) {
          const head = await tx.selectFrom('ledger_head').select('size').where('id', '=', 1).executeTakeFirst();
          throw new HetaoError(
            'HETAO_LEDGER_STORE_CONFLICT',
            `the batch starts at ${batch.fromSize} but the ledger holds ${head?.size ?? 0} entries`,
          );
        }
        const entries = batch.entries.map((e, i) => ({ idx: batch.fromSize + i, bytes: asBuffer(e) }));
        for (const rows of chunks(entries, INSERT_ROWS)) await tx.insertInto('ledger_entries').values(rows).execute();
        const hashes = batch.hashes.map((h) => ({ level: h.level, idx: h.index, hash: asBuffer(h.hash) }));
        for (const rows of chunks(hashes, INSERT_ROWS)) await tx.insertInto('ledger_hashes').values(rows).execute();
      });
    } catch (err) {
      throw duplicateAsConflict(err);
    }
  }

  async latestCheckpoint(): Promise<string | undefined> {
    const row = await this.#db.selectFrom('ledger_head').select('checkpoint').where('id', '=', 1).executeTakeFirst();
    return row?.checkpoint ?? undefined;
  }

  async replaceCheckpoint(size: number, text: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('ledger_head')
      .set({ checkpoint: text })
      .where('id', '=', 1)
      .where('size', '=', size)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async latestPublished(): Promise<string | undefined> {
    const row = await this.#db.selectFrom('ledger_head').select('published').where('id', '=', 1).executeTakeFirst();
    return row?.published ?? undefined;
  }

  async savePublished(size: number, text: string): Promise<void> {
    await this.#db
      .updateTable('ledger_head')
      .set({ published_size: size, published: text })
      .where('id', '=', 1)
      .where('published_size', '<=', size)
      .execute();
  }

  async readEntries(from: number, count: number): Promise<Uint8Array[]> {
    if (count === 0) return [];
    const rows = await this.#db
      .selectFrom('ledger_entries')
      .select('bytes')
      .where('idx', '>=', from)
      .where('idx', '<', from + count)
      .orderBy('idx')
      .execute();
    if (rows.length !== count) throw notFound(`entries ${from}..${from + count - 1}`);
    return rows.map((r) => r.bytes);
  }

  async readHashes(level: number, from: number, count: number): Promise<Hash[]> {
    if (count === 0) return [];
    const rows = await this.#db
      .selectFrom('ledger_hashes')
      .select('hash')
      .where('level', '=', level)
      .where('idx', '>=', from)
      .where('idx', '<', from + count)
      .orderBy('idx')
      .execute();
    if (rows.length !== count) throw notFound(`hashes ${from}..${from + count - 1} at level ${level}`);
    return rows.map((r) => r.hash);
  }

  async readNodes(nodes: readonly NodeRef[]): Promise<Hash[]> {
    const found = new Map<string, Hash>();
    for (const part of chunks(nodes, NODE_LOOKUP)) {
      const rows = await this.#db
        .selectFrom('ledger_hashes')
        .select(['level', 'idx', 'hash'])
        .where((eb) => eb.or(part.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', n.index)]))))
        .execute();
      for (const r of rows) found.set(`${r.level}:${Number(r.idx)}`, r.hash);
    }
    return nodes.map((n) => {
      const h = found.get(`${n.level}:${n.index}`);
      if (h === undefined) throw notFound(`node (${n.level}, ${n.index})`);
      return h;
    });
  }
}

/** A unique violation inside a commit means another writer got there first: the port's conflict. */
function duplicateAsConflict(err: unknown): unknown {
  const code = (err as { code?: string })?.code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE')
    return new HetaoError('HETAO_LEDGER_STORE_CONFLICT', 'another writer committed entries at the same indexes', {
      cause: err,
    });
  return err;
}
