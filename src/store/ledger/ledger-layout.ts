import { HetaoError } from '../../core/index.js';
import { decodeEntryBundle, type LedgerBatch, TILE_WIDTH } from '../../ledger/index.js';

/**
 * The ledger's row layout (migration 005), shared by the SQLite and PostgreSQL paths. Entries live in entry
 * bundles — `ledger_bundles` row k holds entries [256k, 256k + n) in c2sp.org/tlog-tiles bundle encoding, so a
 * bundle tile is a row — and subtree hashes in tile rows — `ledger_tiles` row (h, k) holds the hashes of tree
 * level h, indexes [256k, 256k + m), concatenated. A level-8L row is the hash tile (L, k). The last row of each
 * kind may be partial; a batch rewrites it with its old prefix plus the new items (an upsert).
 */

export const W = TILE_WIDTH;
const HASH = 32;

/** A complete row never changes: numeric cache key for tile row (level, k); level <= 53 and k < 2^45. */
export const tileKey = (level: number, k: number): number => level * 2 ** 45 + k;

export interface TileRow {
  readonly level: number;
  readonly idx: number;
  readonly hashes: Buffer;
}

export interface BundleRow {
  readonly idx: number;
  readonly bytes: Buffer;
}

/**
 * The partial last rows after `size` entries: the bundle of entries [256·⌊size/256⌋, size) (empty when size is a
 * multiple of 256) and, per level h whose hash count c = ⌊size/2^h⌋ is not a multiple of 256, the row holding
 * hashes [256·⌊c/256⌋, c). Immutable once built: committed entries and hashes never change.
 */
export interface Tail {
  readonly size: number;
  readonly bundle: Buffer;
  readonly tiles: ReadonlyMap<number, Buffer>;
}

export const EMPTY = Buffer.alloc(0);

/** The rows (bundle index, and (level, row) per level) a tail of `size` reads, for loading it from the database. */
export function tailRefs(size: number): { bundle: number | undefined; tiles: { level: number; idx: number }[] } {
  const tiles: { level: number; idx: number }[] = [];
  for (let level = 0, span = 1; span <= size; level++, span *= 2) {
    const c = Math.floor(size / span);
    if (c % W !== 0) tiles.push({ level, idx: Math.floor(c / W) });
  }
  return { bundle: size % W === 0 ? undefined : Math.floor(size / W), tiles };
}

export function checkTail(size: number, bundle: Buffer | undefined, tiles: Map<number, Buffer>): Tail {
  const refs = tailRefs(size);
  if (refs.bundle !== undefined && bundle === undefined) throw corrupt(`entry bundle ${refs.bundle} is missing`);
  for (const t of refs.tiles) {
    const row = tiles.get(t.level);
    const want = (Math.floor(size / 2 ** t.level) % W) * HASH;
    if (row === undefined || row.length !== want) throw corrupt(`hash row (${t.level}, ${t.idx}) is missing or short`);
  }
  return { size, bundle: bundle ?? EMPTY, tiles };
}

function corrupt(what: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_NOT_FOUND', `the stored ledger is incomplete: ${what}`);
}

/** The rows one batch writes on top of `tail`, and the tail after it. Pure: nothing is cached before COMMIT. */
export interface Plan {
  readonly bundles: BundleRow[];
  readonly tiles: TileRow[];
  readonly next: Tail;
}

export function planBatch(batch: LedgerBatch, tail: Tail): Plan {
  const from = batch.fromSize;
  const size = from + batch.entries.length;
  const bundles: BundleRow[] = [];
  const { entries } = batch;
  let nextBundle = tail.bundle;
  for (let i = 0, pos = from; i < entries.length; ) {
    const end = Math.min(entries.length, i + (W - (pos % W)));
    const prefix = pos % W === 0 ? EMPTY : tail.bundle;
    let len = prefix.length;
    for (let j = i; j < end; j++) len += 2 + (entries[j] as Uint8Array).length;
    const buf = Buffer.allocUnsafe(len);
    prefix.copy(buf, 0);
    let at = prefix.length;
    for (let j = i; j < end; j++) {
      const e = entries[j] as Uint8Array;
      if (e.length > 0xffff) throw new RangeError('an entry is at most 65535 bytes');
      buf[at] = e.length >>> 8;
      buf[at + 1] = e.length & 0xff;
      buf.set(e, at + 2);
      at += 2 + e.length;
    }
    bundles.push({ idx: Math.floor(pos / W), bytes: buf });
    nextBundle = buf;
    pos += end - i;
    i = end;
  }
  if (size % W === 0) nextBundle = EMPTY;

  // Group the batch's hashes by level; within a level they must continue the stored sequence.
  const byLevel: Uint8Array[][] = [];
  for (const h of batch.hashes) {
    let l = byLevel[h.level];
    if (l === undefined) {
      l = [];
      byLevel[h.level] = l;
    }
    const expected = Math.floor(from / 2 ** h.level) + l.length;
    if (h.index !== expected)
      throw new Error(`hash (${h.level}, ${h.index}) is out of order (expected index ${expected})`);
    l.push(h.hash);
  }
  const tiles: TileRow[] = [];
  const nextTiles = new Map(tail.tiles);
  byLevel.forEach((hashes, level) => {
    let pos = Math.floor(from / 2 ** level);
    for (let i = 0; i < hashes.length; ) {
      const end = Math.min(hashes.length, i + (W - (pos % W)));
      const prefix = pos % W === 0 ? EMPTY : (tail.tiles.get(level) ?? EMPTY);
      const buf = Buffer.allocUnsafe(prefix.length + (end - i) * HASH);
      prefix.copy(buf, 0);
      for (let j = i; j < end; j++) buf.set(hashes[j] as Uint8Array, prefix.length + (j - i) * HASH);
      tiles.push({ level, idx: Math.floor(pos / W), hashes: buf });
      pos += end - i;
      i = end;
      if (pos % W === 0) nextTiles.delete(level);
      else nextTiles.set(level, buf);
    }
  });
  return { bundles, tiles, next: { size, bundle: nextBundle, tiles: nextTiles } };
}

/** Entries [from, from + count) out of bundle rows `rows` (by bundle index); throws NOT_FOUND on any gap. */
export function sliceEntries(rows: ReadonlyMap<number, Uint8Array>, from: number, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const last = from + count - 1;
  for (let k = Math.floor(from / W); k <= Math.floor(last / W); k++) {
    const row = rows.get(k);
    if (row === undefined) throw notFound(`entries ${from}..${last}`);
    const entries = decodeEntryBundle(row);
    const lo = Math.max(from, k * W) - k * W;
    const hi = Math.min(last, k * W + W - 1) - k * W;
    if (entries.length <= hi) throw notFound(`entries ${from}..${last}`);
    for (let i = lo; i <= hi; i++) out.push(entries[i] as Uint8Array);
  }
  return out;
}

/** Hashes [from, from + count) of one level out of its tile rows (by row index); throws NOT_FOUND on any gap. */
export function sliceHashes(
  rows: ReadonlyMap<number, Uint8Array>,
  level: number,
  from: number,
  count: number,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = from; i < from + count; i++) {
    const h = hashAt(rows.get(Math.floor(i / W)), i);
    if (h === undefined) throw notFound(`hashes ${from}..${from + count - 1} at level ${level}`);
    out.push(h);
  }
  return out;
}

/** Hash `index` of its level out of its tile row, or undefined when the row does not hold it. */
export function hashAt(row: Uint8Array | undefined, index: number): Uint8Array | undefined {
  if (row === undefined) return undefined;
  const at = (index % W) * HASH;
  return at + HASH <= row.length ? row.subarray(at, at + HASH) : undefined;
}

export function notFound(what: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_NOT_FOUND', `${what} are not stored`);
}
