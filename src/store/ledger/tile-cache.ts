import { tileKey } from './ledger-layout.js';

/** Tree levels at and above this are the upper tree: few rows (1/2^UPPER of level 0), each read by every proof. */
export const UPPER_LEVEL = 8;
/** Upper-level rows kept: 4096 x 8 KiB covers trees of up to about 2^38 entries. */
const UPPER_ROWS = 4096;
/** Lower-level rows kept (the most recently committed or read): 8192 x 8 KiB = 64 MiB, all of a 10^6 tree. */
const LOWER_ROWS = 8192;

/**
 * Tile rows in memory, by (level, row). Committed hashes never change, so a row — even a partial one — is a
 * correct prefix forever; a longer version of it (read or committed later) replaces it. FIFO per part, so the
 * many lower rows never push out the upper tree.
 */
export class TileCache {
  readonly #upper = new Map<number, Buffer>();
  readonly #lower = new Map<number, Buffer>();

  get(level: number, row: number): Buffer | undefined {
    return (level >= UPPER_LEVEL ? this.#upper : this.#lower).get(tileKey(level, row));
  }

  put(level: number, row: number, hashes: Buffer): void {
    const upper = level >= UPPER_LEVEL;
    const map = upper ? this.#upper : this.#lower;
    const key = tileKey(level, row);
    const had = map.get(key);
    if (had !== undefined) {
      if (had.length < hashes.length) map.set(key, hashes);
      return;
    }
    if (map.size >= (upper ? UPPER_ROWS : LOWER_ROWS)) map.delete(map.keys().next().value as number);
    map.set(key, hashes);
  }
}
