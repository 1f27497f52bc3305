import { HetaoError } from '../core/index.js';

/** Tiles have height 8: 256 hashes (or entries) per full tile (c2sp.org/tlog-tiles). */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/**
 * A tile: `level` 0..63 for hash tiles, 'entries' for entry bundles; `index` N; `width` 1..256, where 256 is a
 * full tile and anything less a partial one (`.p/<W>`).
 */
export interface TilePath {
  readonly level: number | 'entries';
  readonly index: number;
  readonly width: number;
}

function bad(path: string, why: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_TILE_PATH_INVALID', `tile path ${JSON.stringify(path)}: ${why}`);
}

/** N in zero-padded 3-digit elements, all but the last prefixed by `x`: 1234067 -> `x001/x234/067`. */
export function formatTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`tile index must be a non-negative integer (got ${n})`);
  const groups: string[] = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** `tile/<L>/<N>[.p/<W>]` or `tile/entries/<N>[.p/<W>]`. */
export function formatTilePath(t: TilePath): string {
  if (!Number.isInteger(t.width) || t.width < 1 || t.width > TILE_WIDTH) throw new RangeError('tile width is 1..256');
  const level = t.level === 'entries' ? 'entries' : String(t.level);
  return `tile/${level}/${formatTileIndex(t.index)}${t.width < TILE_WIDTH ? `.p/${t.width}` : ''}`;
}

/** Parses a tile path; only the canonical form is accepted (no redundant x000 elements, no leading zeros). */
export function parseTilePath(path: string): TilePath {
  const parts = path.split('/');
  if (parts[0] !== 'tile' || parts.length < 3) throw bad(path, 'must start with tile/<L>/ or tile/entries/');
  const levelText = parts[1] as string;
  let level: number | 'entries';
  if (levelText === 'entries') level = 'entries';
  else if (/^(0|[1-9][0-9]?)$/.test(levelText) && Number(levelText) <= 63) level = Number(levelText);
  else throw bad(path, 'the level must be 0..63 or "entries"');
  let elements = parts.slice(2);
  let width = TILE_WIDTH;
  const last = elements[elements.length - 1] as string;
  if (elements.length >= 2 && (elements[elements.length - 2] as string).endsWith('.p')) {
    if (!/^[1-9][0-9]{0,2}$/.test(last) || Number(last) > 255) throw bad(path, 'a partial width is 1..255');
    width = Number(last);
    elements = elements.slice(0, -1);
    elements[elements.length - 1] = (elements[elements.length - 1] as string).slice(0, -2);
  }
  let index = 0;
  elements.forEach((e, i) => {
    const ok = i < elements.length - 1 ? /^x[0-9]{3}$/.test(e) : /^[0-9]{3}$/.test(e);
    if (!ok) throw bad(path, 'the index must be 3-digit elements, all but the last prefixed by x');
    index = index * 1000 + Number(e.slice(-3));
  });
  if (!Number.isSafeInteger(index) || formatTileIndex(index) !== elements.join('/'))
    throw bad(path, 'the index is not in canonical form');
  return { level, index, width };
}

/** How many hashes a tree of `size` leaves has at tile level L (`floor(size / 256^L)`). */
export function hashesAtTileLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/**
 * True when tile `t` can be served for a tree of `size` leaves. Any partial width up to what the size holds is
 * served (it is a prefix of the same hashes), so proofs against older checkpoints keep working.
 */
export function tileExists(t: TilePath, size: number): boolean {
  const count = t.level === 'entries' ? size : hashesAtTileLevel(size, t.level);
  return t.index * TILE_WIDTH + t.width <= count;
}
