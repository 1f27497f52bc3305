import { HetaoError } from '../core/index.js';
import { encodeEntryBundle } from './entry-bundle.js';
import type { LedgerStore } from './ledger-store.js';
import { parseTilePath, TILE_HEIGHT, TILE_WIDTH, type TilePath, tileExists } from './tile-path.js';

/**
 * The bytes of a hash tile or entry bundle, for a tree of `size` leaves (the latest checkpoint's size): hash
 * tiles are W concatenated 32-byte hashes read from tree level 8L. Rejects tiles the size does not cover.
 */
export async function readTile(
  store: Pick<LedgerStore, 'readEntries' | 'readHashes'>,
  tile: TilePath | string,
  size: number,
): Promise<Uint8Array> {
  const t = typeof tile === 'string' ? parseTilePath(tile) : tile;
  if (!tileExists(t, size))
    throw new HetaoError('HETAO_LEDGER_NOT_FOUND', `the tile does not exist in a tree of ${size} entries`);
  const from = t.index * TILE_WIDTH;
  if (t.level === 'entries') return encodeEntryBundle(await store.readEntries(from, t.width));
  const hashes = await store.readHashes(t.level * TILE_HEIGHT, from, t.width);
  const out = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => {
    out.set(h, i * 32);
  });
  return out;
}
