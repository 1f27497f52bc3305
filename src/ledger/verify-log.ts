import { type ErrorCode, isHetaoError } from '../core/index.js';
import { decodeEntryBundle } from './entry-bundle.js';
import { checkCanonicalEntry } from './entry-codec.js';
import { bytesEqual, type Hash, leafHashLatin1, toBase64 } from './hashing.js';
import { formatTilePath, TILE_WIDTH } from './tile-path.js';
import { TreeHasher } from './tree-hasher.js';
import { checkPolicy, type TrustPolicy } from './witness-policy.js';

export interface VerifyLogOptions {
  /** The signed (and cosigned) checkpoint to verify, as served. */
  readonly checkpoint: string;
  readonly policy: TrustPolicy;
  /** Fetches a tile by its path relative to the log prefix, e.g. `tile/entries/x001/234`. */
  readonly fetch: (path: string) => Promise<Uint8Array>;
  /** A tree head verified earlier: the log must extend it, else verification fails as a fork. */
  readonly previous?: { readonly size: number; readonly rootHash: Hash };
  /** Tiles fetched ahead of hashing. Default 16. */
  readonly prefetch?: number;
}

export type VerifyReport =
  | { readonly ok: true; readonly size: number; readonly rootHash: string; readonly cosigners: readonly string[] }
  | {
      readonly ok: false;
      readonly code: ErrorCode;
      readonly reason: string;
      /** The first bad entry, when one can be named. */
      readonly index?: number;
    };

const fail = (code: ErrorCode, reason: string, index?: number): VerifyReport =>
  index === undefined ? { ok: false, code, reason } : { ok: false, code, reason, index };

/**
 * Verifies a whole log offline: the checkpoint's signatures and witness quorum, then every entry bundle — each
 * entry must decode, be canonical, and hash to the log's level-0 tile — and finally the root rebuilt from the
 * entries against the checkpoint. Streams bundle by bundle: memory is O(prefetch · tile), not O(size).
 */
export async function verifyLog(opts: VerifyLogOptions): Promise<VerifyReport> {
  let size: number;
  let rootHash: Hash;
  let cosigners: readonly string[];
  try {
    const r = checkPolicy(opts.checkpoint, opts.policy);
    // The key signs whatever origin line it is given: the checkpoint must be of this log, not another it signs.
    if (r.checkpoint.origin !== opts.policy.log.name)
      return fail(
        'HETAO_LEDGER_VERIFY_FAILED',
        `checkpoint: it is of the log ${r.checkpoint.origin}, not ${opts.policy.log.name}`,
      );
    ({ size, rootHash } = r.checkpoint);
    cosigners = r.cosigners;
  } catch (err) {
    if (isHetaoError(err)) return fail(err.code, `checkpoint: ${err.message}`);
    throw err;
  }
  if (opts.previous !== undefined && opts.previous.size > size)
    return fail('HETAO_LEDGER_VERIFY_FAILED', `the log shrank from ${opts.previous.size} to ${size} entries`);

  const bundles = Math.ceil(size / TILE_WIDTH);
  const window = Math.max(1, opts.prefetch ?? 16);
  const fetchPair = (n: number) => {
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    return Promise.all([
      opts.fetch(formatTilePath({ level: 'entries', index: n, width })),
      opts.fetch(formatTilePath({ level: 0, index: n, width })),
    ]);
  };
  const inflight: Promise<[Uint8Array, Uint8Array]>[] = [];
  for (let n = 0; n < Math.min(window, bundles); n++) inflight.push(fetchPair(n));
  // Keep rejected prefetches from surfacing as unhandled before their turn.
  for (const p of inflight) p.catch(() => {});

  const tree = new TreeHasher();
  for (let n = 0; n < bundles; n++) {
    const [bundle, tile] = await (inflight.shift() as Promise<[Uint8Array, Uint8Array]>);
    if (n + window < bundles) {
      const p = fetchPair(n + window);
      p.catch(() => {});
      inflight.push(p);
    }
    const start = n * TILE_WIDTH;
    const width = Math.min(TILE_WIDTH, size - start);
    let entries: Uint8Array[];
    try {
      entries = decodeEntryBundle(bundle);
    } catch (err) {
      const at = isHetaoError(err) ? ((err.details as { entryInBundle?: number })?.entryInBundle ?? 0) : 0;
      return fail('HETAO_LEDGER_VERIFY_FAILED', `entry bundle ${n} is truncated`, start + at);
    }
    if (tile.length !== width * 32)
      return fail('HETAO_LEDGER_VERIFY_FAILED', `level-0 tile ${n} is ${tile.length} bytes, not ${width * 32}`, start);
    const tileBuf = Buffer.from(tile.buffer, tile.byteOffset, tile.length);
    // One latin1 string per tile: each leaf hash compares as a 32-char substring, with no Buffer per leaf.
    const tileText = tileBuf.toString('latin1');
    if (entries.length !== width) {
      // Name the first entry out of place (where one was removed or put in), else the first one missing.
      let at = 0;
      while (
        at < Math.min(entries.length, width) &&
        leafHashLatin1(entries[at] as Uint8Array) === tileText.slice(at * 32, at * 32 + 32)
      )
        at++;
      return fail(
        'HETAO_LEDGER_VERIFY_FAILED',
        `entry bundle ${n} holds ${entries.length} entries, not ${width}: entries are missing or extra`,
        start + at,
      );
    }
    for (let i = 0; i < width; i++) {
      const index = start + i;
      const bytes = entries[i] as Uint8Array;
      try {
        checkCanonicalEntry(bytes);
      } catch (err) {
        if (!isHetaoError(err)) throw err;
        return fail('HETAO_LEDGER_VERIFY_FAILED', `entry ${index}: ${err.code}: ${err.message}`, index);
      }
      if (leafHashLatin1(bytes) !== tileText.slice(i * 32, i * 32 + 32))
        return fail(
          'HETAO_LEDGER_VERIFY_FAILED',
          `entry ${index} does not hash to the log's leaf hash (the entry was altered, removed or moved)`,
          index,
        );
      tree.push(tileBuf.subarray(i * 32, i * 32 + 32)); // equal to the entry's leaf hash
      if (
        opts.previous !== undefined &&
        tree.size === opts.previous.size &&
        !bytesEqual(tree.root(), opts.previous.rootHash)
      )
        return fail(
          'HETAO_LEDGER_VERIFY_FAILED',
          `fork: the first ${tree.size} entries do not match the earlier checkpoint of that size`,
        );
    }
  }
  if (!bytesEqual(tree.root(), rootHash))
    return fail('HETAO_LEDGER_VERIFY_FAILED', 'the tree rebuilt from the entries does not match the signed root hash');
  return { ok: true, size, rootHash: toBase64(rootHash), cosigners };
}
