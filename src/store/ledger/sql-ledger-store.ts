import type Sqlite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type {
  Hash,
  LedgerBatch,
  LedgerStore,
  NodeRef,
  OutboxReader,
  OutboxRow,
  PublishedCheckpointStore,
} from '../../ledger/index.js';
import type { Dialect, Tables } from '../schema.js';
import { writeTransaction } from '../write-transaction.js';
import { chunks } from './bytes.js';
import {
  type BundleRow,
  checkTail,
  hashAt,
  notFound,
  type Plan,
  planBatch,
  sliceEntries,
  sliceHashes,
  type Tail,
  type TileRow,
  tailRefs,
  tileKey,
  W,
} from './ledger-layout.js';
import { countRejectedOutbox, rejectOutboxRow } from './outbox-rows.js';
import { conflict, outboxTaken, RawSqlite } from './raw-sqlite-ledger.js';
import { TileCache, UPPER_LEVEL } from './tile-cache.js';

/** Rows per multi-row upsert (PostgreSQL path): 3 parameters each, far below the bind-parameter limit. */
const UPSERT_ROWS = 2000;
/** Tile-row lookups per SELECT (PostgreSQL path, 2 parameters each). */
const ROW_LOOKUP = 256;
/**
 * The LedgerStore port over SQL, entries as bundle rows and hashes as tile rows (./ledger-layout.ts, migration
 * 005). A commit is one write transaction that first moves `ledger_head` from `fromSize` to the new size with a
 * guarded UPDATE — the compare-and-set that makes a second writer or a replayed batch a
 * HETAO_LEDGER_STORE_CONFLICT (on PostgreSQL the row lock also serialises concurrent committers) — then upserts
 * the bundle and tile rows the batch touches: about 3 rows per 256 entries. It resolves after COMMIT, which is
 * durable: SQLite runs WAL with synchronous=FULL, PostgreSQL fsyncs its WAL on commit.
 *
 * SQLite, given the raw better-sqlite3 handle, runs its statements prepared and synchronously (RawSqlite, in
 * ./raw-sqlite-ledger.ts): a commit holds Kysely's connection (so it never interleaves with another port's
 * transaction) and runs BEGIN IMMEDIATE .. COMMIT without yielding, so lock-free reads — which touch only ledger
 * tables — only ever see committed rows.
 */
export class SqlLedgerStore implements LedgerStore, PublishedCheckpointStore, OutboxReader {
  readonly #db: Kysely<Tables>;
  readonly #dialect: Dialect;
  readonly #raw: RawSqlite | undefined;
  /** The partial last rows as of the last batch this store committed; reloaded when another writer moved on. */
  #tail: Tail | undefined;
  /** Tile rows written or read: every proof needs one hash per level. */
  readonly #cache = new TileCache();

  constructor(db: Kysely<Tables>, dialect: Dialect, raw?: Sqlite.Database) {
    this.#db = db;
    this.#dialect = dialect;
    this.#raw = dialect === 'sqlite' && raw !== undefined ? new RawSqlite(raw) : undefined;
  }

  async appendBatch(batch: LedgerBatch): Promise<void> {
    const size = batch.fromSize + batch.entries.length;
    const raw = this.#raw;
    if (raw !== undefined) {
      // Hold Kysely's connection so no other transaction on it is open, then commit synchronously.
      const plan = await this.#db.connection().execute(async () => raw.commit(batch, size, this.#tail));
      this.#committed(plan);
      return;
    }
    const committed = await writeTransaction(this.#db, this.#dialect, async (tx) => {
      const moved = await tx
        .updateTable('ledger_head')
        .set({ size, checkpoint: batch.checkpoint })
        .where('id', '=', 1)
        .where('size', '=', batch.fromSize)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) {
        const head = await tx.selectFrom('ledger_head').select('size').where('id', '=', 1).executeTakeFirst();
        throw conflict(batch.fromSize, head?.size ?? 0);
      }
      for (const takes of chunks(batch.outbox ?? [], ROW_LOOKUP)) {
        const gone = await tx
          .deleteFrom('ledger_outbox')
          .where(
            'id',
            'in',
            takes.map((t) => t.id),
          )
          .returning(['id', 'ref'])
          .execute();
        if (gone.length !== takes.length) throw outboxTaken();
        const indexOf = new Map(takes.map((t) => [t.id, t.index]));
        const refs = gone.flatMap((g) => (g.ref === null ? [] : [{ ref: g.ref, idx: indexOf.get(Number(g.id)) ?? 0 }]));
        if (refs.length) await tx.insertInto('ledger_refs').values(refs).execute();
      }
      const tail = this.#tail?.size === batch.fromSize ? this.#tail : await loadTailKysely(tx, batch.fromSize);
      const plan = planBatch(batch, tail);
      for (const rows of chunks(plan.bundles, UPSERT_ROWS))
        await tx
          .insertInto('ledger_bundles')
          .values(rows)
          .onConflict((oc) => oc.column('idx').doUpdateSet((eb) => ({ bytes: eb.ref('excluded.bytes') })))
          .execute();
      for (const rows of chunks(plan.tiles, UPSERT_ROWS))
        await tx
          .insertInto('ledger_tiles')
          .values(rows)
          .onConflict((oc) => oc.columns(['level', 'idx']).doUpdateSet((eb) => ({ hashes: eb.ref('excluded.hashes') })))
          .execute();
      return plan;
    });
    this.#committed(committed);
  }

  /** After COMMIT: keep the new partial rows for the next batch and the upper tile rows for proofs. */
  #committed(plan: Plan): void {
    this.#tail = plan.next;
    for (const t of plan.tiles) this.#cache.put(t.level, t.idx, t.hashes);
  }

  /** The oldest staged entries (OutboxReader). */
  async readOutbox(limit: number): Promise<OutboxRow[]> {
    const rows = await this.#db
      .selectFrom('ledger_outbox')
      .select(['id', 'entry', 'ref'])
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      bytes: new TextEncoder().encode(r.entry),
      ...(r.ref === null ? {} : { ref: r.ref }),
    }));
  }

  rejectOutbox(id: number, reason: string, at: number): Promise<void> {
    return rejectOutboxRow(this.#db, this.#dialect, id, reason, at);
  }

  countRejectedOutbox(): Promise<number> {
    return countRejectedOutbox(this.#db);
  }

  async latestCheckpoint(): Promise<string | undefined> {
    if (this.#raw) return this.#raw.head()?.checkpoint ?? undefined;
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
    const k0 = Math.floor(from / W);
    const k1 = Math.floor((from + count - 1) / W);
    let rows: BundleRow[];
    if (this.#raw) rows = this.#raw.bundles(k0, k1);
    else
      rows = await this.#db
        .selectFrom('ledger_bundles')
        .select(['idx', 'bytes'])
        .where('idx', '>=', k0)
        .where('idx', '<=', k1)
        .execute();
    return sliceEntries(new Map(rows.map((r) => [Number(r.idx), r.bytes])), from, count);
  }

  async readHashes(level: number, from: number, count: number): Promise<Hash[]> {
    if (count === 0) return [];
    const k0 = Math.floor(from / W);
    const k1 = Math.floor((from + count - 1) / W);
    const rows = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (let k = k0; k <= k1; k++) {
      const hit = this.#cache.get(level, k);
      if (hit) rows.set(k, hit);
      else missing.push(k);
    }
    if (missing.length > 0) {
      let found: TileRow[];
      if (this.#raw) found = this.#raw.tileRange(level, missing[0] as number, missing.at(-1) as number);
      else
        found = await this.#db
          .selectFrom('ledger_tiles')
          .select(['level', 'idx', 'hashes'])
          .where('level', '=', level)
          .where('idx', '>=', missing[0] as number)
          .where('idx', '<=', missing.at(-1) as number)
          .execute();
      for (const r of found) {
        rows.set(Number(r.idx), r.hashes);
        if (level >= UPPER_LEVEL) this.#cache.put(level, Number(r.idx), r.hashes);
      }
    }
    return sliceHashes(rows, level, from, count);
  }

  async readNodes(nodes: readonly NodeRef[]): Promise<Hash[]> {
    const out: Hash[] = new Array(nodes.length);
    const misses: NodeRef[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as NodeRef;
      const h = hashAt(this.#cache.get(n.level, Math.floor(n.index / W)), n.index);
      if (h === undefined) misses.push(n);
      else out[i] = h;
    }
    if (misses.length > 0) {
      const fetched = new Map<number, Buffer>();
      const wanted = new Map<number, { level: number; idx: number }>();
      for (const n of misses) {
        const idx = Math.floor(n.index / W);
        wanted.set(tileKey(n.level, idx), { level: n.level, idx });
      }
      const raw = this.#raw;
      if (raw) {
        for (let i = 0; i < nodes.length; i++) {
          if (out[i] !== undefined) continue;
          const n = nodes[i] as NodeRef;
          if (n.level >= UPPER_LEVEL) continue;
          const h = raw.hash(n.level, n.index);
          if (h === undefined) throw notFound(`node (${n.level}, ${n.index})`);
          out[i] = h;
        }
        for (const [key, w] of wanted) {
          if (w.level < UPPER_LEVEL) continue;
          const r = raw.tile(w.level, w.idx);
          if (r) fetched.set(key, r);
        }
      } else {
        for (const part of chunks([...wanted.values()], ROW_LOOKUP)) {
          const rows = await this.#db
            .selectFrom('ledger_tiles')
            .select(['level', 'idx', 'hashes'])
            .where((eb) => eb.or(part.map((w) => eb.and([eb('level', '=', w.level), eb('idx', '=', w.idx)]))))
            .execute();
          for (const r of rows) fetched.set(tileKey(r.level, Number(r.idx)), r.hashes);
        }
      }
      for (const w of wanted.values()) {
        const row = fetched.get(tileKey(w.level, w.idx));
        if (row !== undefined && w.level >= UPPER_LEVEL) this.#cache.put(w.level, w.idx, row);
      }
      for (let i = 0; i < nodes.length; i++) {
        if (out[i] !== undefined) continue;
        const n = nodes[i] as NodeRef;
        const h = hashAt(fetched.get(tileKey(n.level, Math.floor(n.index / W))), n.index);
        if (h === undefined) throw notFound(`node (${n.level}, ${n.index})`);
        out[i] = h;
      }
    }
    return out;
  }
}

async function loadTailKysely(tx: Kysely<Tables>, size: number): Promise<Tail> {
  const refs = tailRefs(size);
  let bundle: Buffer | undefined;
  if (refs.bundle !== undefined) {
    const row = await tx.selectFrom('ledger_bundles').select('bytes').where('idx', '=', refs.bundle).executeTakeFirst();
    bundle = row?.bytes as Buffer | undefined;
  }
  const tiles = new Map<number, Buffer>();
  if (refs.tiles.length > 0) {
    const rows = await tx
      .selectFrom('ledger_tiles')
      .select(['level', 'idx', 'hashes'])
      .where((eb) => eb.or(refs.tiles.map((t) => eb.and([eb('level', '=', t.level), eb('idx', '=', t.idx)]))))
      .execute();
    for (const r of rows) tiles.set(r.level, r.hashes as Buffer);
  }
  return checkTail(size, bundle, tiles);
}
