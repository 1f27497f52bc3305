import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { decodeEntryBundle, encodeEntryBundle } from './entry-bundle.js';
import { formatTileIndex, formatTilePath, parseTilePath, tileExists } from './tile-path.js';

describe('tile paths (c2sp.org/tlog-tiles)', () => {
  it('encodes indexes in 3-digit x-prefixed elements', () => {
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(5)).toBe('005');
    expect(formatTileIndex(1000)).toBe('x001/000');
    expect(formatTilePath({ level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(formatTilePath({ level: 2, index: 5, width: 17 })).toBe('tile/2/005.p/17');
    expect(formatTilePath({ level: 'entries', index: 1000, width: 1 })).toBe('tile/entries/x001/000.p/1');
  });

  it('parses what it formats and rejects non-canonical paths', () => {
    for (const p of ['tile/0/x001/x234/067', 'tile/3/000.p/255', 'tile/entries/x001/000.p/1', 'tile/63/999'])
      expect(formatTilePath(parseTilePath(p))).toBe(p);
    expect(parseTilePath('tile/entries/x001/x234/067.p/128')).toEqual({ level: 'entries', index: 1234067, width: 128 });
    for (const bad of [
      'tile/0/1234067',
      'tile/0/x000/067',
      'tile/0/x1/067',
      'tile/0/067/x001',
      'tile/64/000',
      'tile/01/000',
      'tile/0/000.p/0',
      'tile/0/000.p/256',
      'tile/0/000.p/07',
      'tiles/0/000',
      'tile/0',
    ]) {
      expect(() => parseTilePath(bad), bad).toThrow(HetaoError);
    }
  });

  it('knows which tiles a tree size has (the spec example: size 70,000)', () => {
    const s = 70_000;
    expect(tileExists({ level: 0, index: 272, width: 256 }, s)).toBe(true);
    expect(tileExists({ level: 0, index: 273, width: 112 }, s)).toBe(true);
    expect(tileExists({ level: 0, index: 273, width: 113 }, s)).toBe(false);
    expect(tileExists({ level: 0, index: 273, width: 256 }, s)).toBe(false);
    expect(tileExists({ level: 1, index: 0, width: 256 }, s)).toBe(true);
    expect(tileExists({ level: 1, index: 1, width: 17 }, s)).toBe(true);
    expect(tileExists({ level: 2, index: 0, width: 1 }, s)).toBe(true);
    expect(tileExists({ level: 2, index: 0, width: 2 }, s)).toBe(false);
    expect(tileExists({ level: 1, index: 0, width: 1 }, 256)).toBe(true);
  });

  it('entry bundles are uint16 big-endian length-prefixed entries', () => {
    const b = encodeEntryBundle([Uint8Array.of(1, 2, 3), new Uint8Array(0), new Uint8Array(300)]);
    expect([...b.subarray(0, 5)]).toEqual([0, 3, 1, 2, 3]);
    expect([...b.subarray(5, 9)]).toEqual([0, 0, 1, 44]);
    expect(decodeEntryBundle(b).map((e) => e.length)).toEqual([3, 0, 300]);
    expect(() => decodeEntryBundle(b.subarray(0, b.length - 1))).toThrow(HetaoError);
  });
});
