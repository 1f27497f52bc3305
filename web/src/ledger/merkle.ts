import { concat, sha256, utf8 } from './bytes';

/** RFC 6962 hashing: leaf = SHA-256(0x00 || entry), interior node = SHA-256(0x01 || left || right). */
export function leafHash(entry: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(0), entry));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(1), left, right));
}

/**
 * The ledger's canonical entry bytes: JSON, keys sorted by UTF-16 code unit at every level, no whitespace. Entries
 * hold only integers and plain strings, so JSON.stringify of the re-keyed value is exactly the stored encoding.
 */
export function canonicalEntry(value: unknown): Uint8Array {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sortKeys);
    if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .filter((k) => o[k] !== undefined && o[k] !== null)
          .map((k) => [k, sortKeys(o[k])]),
      );
    }
    return v;
  };
  return utf8.encode(JSON.stringify(sortKeys(value)));
}

/**
 * The root that an RFC 9162 §2.1.3.2 inclusion proof implies for leaf `index` of a tree of `size` leaves, or
 * undefined when the proof has the wrong length for that position. Plain arithmetic (no 32-bit bit operators).
 */
export async function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}
