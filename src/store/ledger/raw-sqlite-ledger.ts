import type Sqlite from 'better-sqlite3';
import { HetaoError } from '../../core/index.js';
import type { LedgerBatch } from '../../ledger/index.js';
import {
  type BundleRow,
  checkTail,
  type Plan,
  planBatch,
  type Tail,
  type TileRow,
  tailRefs,
  W,
} from './ledger-layout.js';

/** A batch that does not start at the stored size: another writer committed first, or the batch is replayed. */
export function conflict(fromSize: number, stored: number): HetaoError {
  return new HetaoError(
    'HETAO_LEDGER_STORE_CONFLICT',
    `the batch starts at ${fromSize} but the ledger holds ${stored} entries`,
  );
}

/** An outbox row of the batch is gone: another drain appended it already. */
export function outboxTaken(): HetaoError {
  return new HetaoError(
    'HETAO_LEDGER_STORE_CONFLICT',
    'an outbox entry of the batch was appended by another writer already',
  );
}

/** Prepared statements over the raw better-sqlite3 handle: the SQLite fast path. */
export class RawSqlite {
  readonly #db: Sqlite.Database;
  /** Prepared on first use: the tables exist only after migration. */
  #stmts: Statements | undefined;

  constructor(db: Sqlite.Database) {
    this.#db = db;
  }

  #s(): Statements {
    this.#stmts ??= prepare(this.#db);
    return this.#stmts;
  }

  head(): { size: number; checkpoint: string | null } | undefined {
    return this.#s().head.get() as { size: number; checkpoint: string | null } | undefined;
  }

  commit(batch: LedgerBatch, size: number, cached: Tail | undefined): Plan {
    const s = this.#s();
    s.begin.run();
    try {
      const moved = s.moveHead.run(size, batch.checkpoint, batch.fromSize);
      if (moved.changes !== 1) throw conflict(batch.fromSize, this.head()?.size ?? 0);
      for (const o of batch.outbox ?? []) {
        const gone = s.takeOutbox.get(o.id) as { ref: string | null } | undefined;
        if (gone === undefined) throw outboxTaken();
        if (gone.ref !== null) s.putRef.run(gone.ref, o.index);
      }
      const tail = cached?.size === batch.fromSize ? cached : this.#loadTail(batch.fromSize);
      const plan = planBatch(batch, tail);
      for (const b of plan.bundles) s.putBundle.run(b.idx, b.bytes);
      for (const t of plan.tiles) s.putTile.run(t.level, t.idx, t.hashes);
      s.commit.run();
      return plan;
    } catch (err) {
      if (this.#db.inTransaction) s.rollback.run();
      throw err;
    }
  }

  #loadTail(size: number): Tail {
    const s = this.#s();
    const refs = tailRefs(size);
    const bundle =
      refs.bundle === undefined ? undefined : (s.bundle.get(refs.bundle) as { bytes: Buffer } | undefined)?.bytes;
    const tiles = new Map<number, Buffer>();
    for (const t of refs.tiles) {
      const row = this.tile(t.level, t.idx);
      if (row) tiles.set(t.level, row);
    }
    return checkTail(size, bundle, tiles);
  }

  bundles(k0: number, k1: number): BundleRow[] {
    return this.#s().bundles.all(k0, k1) as BundleRow[];
  }

  tile(level: number, idx: number): Buffer | undefined {
    return (this.#s().tile.get(level, idx) as { hashes: Buffer } | undefined)?.hashes;
  }

  /** Hash `index` of tree level `level`, reading only its 32 bytes of the tile row. */
  hash(level: number, index: number): Buffer | undefined {
    const row = this.#s().hash.get((index % W) * 32 + 1, level, Math.floor(index / W)) as { h: Buffer } | undefined;
    return row !== undefined && row.h.length === 32 ? row.h : undefined;
  }

  tileRange(level: number, k0: number, k1: number): TileRow[] {
    return this.#s().tiles.all(level, k0, k1) as TileRow[];
  }
}

interface Statements {
  readonly begin: Sqlite.Statement;
  readonly commit: Sqlite.Statement;
  readonly rollback: Sqlite.Statement;
  readonly moveHead: Sqlite.Statement;
  readonly head: Sqlite.Statement;
  readonly putBundle: Sqlite.Statement;
  readonly putTile: Sqlite.Statement;
  readonly bundle: Sqlite.Statement;
  readonly bundles: Sqlite.Statement;
  readonly tile: Sqlite.Statement;
  readonly hash: Sqlite.Statement;
  readonly tiles: Sqlite.Statement;
  readonly takeOutbox: Sqlite.Statement;
  readonly putRef: Sqlite.Statement;
}

function prepare(db: Sqlite.Database): Statements {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    moveHead: db.prepare('UPDATE ledger_head SET size = ?, checkpoint = ? WHERE id = 1 AND size = ?'),
    head: db.prepare('SELECT size, checkpoint FROM ledger_head WHERE id = 1'),
    putBundle: db.prepare(
      'INSERT INTO ledger_bundles (idx, bytes) VALUES (?, ?) ON CONFLICT (idx) DO UPDATE SET bytes = excluded.bytes',
    ),
    putTile: db.prepare(
      'INSERT INTO ledger_tiles (level, idx, hashes) VALUES (?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes',
    ),
    bundle: db.prepare('SELECT bytes FROM ledger_bundles WHERE idx = ?'),
    bundles: db.prepare('SELECT idx, bytes FROM ledger_bundles WHERE idx BETWEEN ? AND ? ORDER BY idx'),
    tile: db.prepare('SELECT hashes FROM ledger_tiles WHERE level = ? AND idx = ?'),
    hash: db.prepare('SELECT substr(hashes, ?, 32) AS h FROM ledger_tiles WHERE level = ? AND idx = ?'),
    tiles: db.prepare(
      'SELECT level, idx, hashes FROM ledger_tiles WHERE level = ? AND idx BETWEEN ? AND ? ORDER BY idx',
    ),
    takeOutbox: db.prepare('DELETE FROM ledger_outbox WHERE id = ? RETURNING ref'),
    putRef: db.prepare('INSERT INTO ledger_refs (ref, idx) VALUES (?, ?)'),
  };
}
