import { HetaoError } from '../core/index.js';
import { MAX_ENTRY_BYTES } from './entry-codec.js';

/** An entry bundle (c2sp.org/tlog-tiles): each entry as a big-endian uint16 length, then its bytes. */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_ENTRY_BYTES) throw new RangeError(`an entry is at most ${MAX_ENTRY_BYTES} bytes`);
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    out[at] = e.length >>> 8;
    out[at + 1] = e.length & 0xff;
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return out;
}

/** Splits a bundle into entries (views into `bundle`, not copies); rejects truncated bundles. */
export function decodeEntryBundle(bundle: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) throw truncated(out.length);
    const len = ((bundle[at] as number) << 8) | (bundle[at + 1] as number);
    if (at + 2 + len > bundle.length) throw truncated(out.length);
    out.push(bundle.subarray(at + 2, at + 2 + len));
    at += 2 + len;
  }
  return out;
}

function truncated(n: number): HetaoError {
  return new HetaoError('HETAO_LEDGER_VERIFY_FAILED', `entry bundle is truncated after ${n} entries`, {
    details: { entryInBundle: n },
  });
}
