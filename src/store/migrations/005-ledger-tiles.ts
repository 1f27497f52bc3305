import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Migration } from './migration.js';

const W = 256;
/** Old rows read per page while converting. */
const PAGE = 64 * W;

/**
 * The ledger in tile-sized rows: `ledger_bundles` row k is the entry bundle of entries [256k, 256k + n)
 * (c2sp.org/tlog-tiles encoding: uint16 length, bytes), `ledger_tiles` row (h, k) the concatenated hashes of tree
 * level h, indexes [256k, 256k + m). About 3 rows per 256 entries instead of 3 per entry. Existing rows of
 * `ledger_entries` and `ledger_hashes` (migration 003) are moved into the new tables, which replace them.
 */
export const m005LedgerTiles: Migration = {
  version: 5,
  name: 'ledger-tiles',
  async up(db: Kysely<unknown>) {
    const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
    await db.schema
      .createTable('ledger_bundles')
      .addColumn('idx', 'bigint', (c) => c.primaryKey())
      .addColumn('bytes', bytes, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ledger_tiles')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', 'bigint', (c) => c.notNull())
      .addColumn('hashes', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('ledger_tiles_pk', ['level', 'idx'])
      .execute();
    await moveEntries(db);
    await moveHashes(db);
    await db.schema.dropTable('ledger_entries').execute();
    await db.schema.dropTable('ledger_hashes').execute();
  },
};

function gap(what: string, at: number): Error {
  return new Error(`the stored ledger has a gap in its ${what} at index ${at}; it cannot be converted`);
}

async function moveEntries(db: Kysely<unknown>): Promise<void> {
  let next = 0;
  let parts: Buffer[] = [];
  const flush = async () => {
    if (parts.length === 0) return;
    const k = Math.floor((next - 1) / W);
    await sql`INSERT INTO ledger_bundles (idx, bytes) VALUES (${k}, ${Buffer.concat(parts)})`.execute(db);
    parts = [];
  };
  for (;;) {
    const page = await sql<{ idx: number | string; bytes: Buffer }>`
      SELECT idx, bytes FROM ledger_entries WHERE idx >= ${next} ORDER BY idx LIMIT ${PAGE}`.execute(db);
    if (page.rows.length === 0) break;
    for (const r of page.rows) {
      if (Number(r.idx) !== next) throw gap('entries', next);
      const len = Buffer.from([r.bytes.length >>> 8, r.bytes.length & 0xff]);
      parts.push(len, r.bytes);
      next++;
      if (next % W === 0) await flush();
    }
  }
  await flush();
}

async function moveHashes(db: Kysely<unknown>): Promise<void> {
  for (let level = 0; level < 64; level++) {
    let next = 0;
    let parts: Buffer[] = [];
    const flush = async () => {
      if (parts.length === 0) return;
      const k = Math.floor((next - 1) / W);
      await sql`INSERT INTO ledger_tiles (level, idx, hashes) VALUES (${level}, ${k}, ${Buffer.concat(parts)})`.execute(
        db,
      );
      parts = [];
    };
    for (;;) {
      const page = await sql<{ idx: number | string; hash: Buffer }>`
        SELECT idx, hash FROM ledger_hashes WHERE level = ${level} AND idx >= ${next} ORDER BY idx LIMIT ${PAGE}`.execute(
        db,
      );
      if (page.rows.length === 0) break;
      for (const r of page.rows) {
        if (Number(r.idx) !== next || r.hash.length !== 32) throw gap(`level-${level} hashes`, next);
        parts.push(r.hash);
        next++;
        if (next % W === 0) await flush();
      }
    }
    await flush();
    if (next === 0) break;
  }
}
