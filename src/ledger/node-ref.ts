/**
 * A complete subtree of the Merkle tree: `level` h and `index` i cover leaves [i * 2^h, (i + 1) * 2^h).
 * Level 0 holds leaf hashes. The store keeps the hash of every complete subtree, so any proof is O(log n) reads.
 */
export interface NodeRef {
  readonly level: number;
  readonly index: number;
}

/** A complete subtree and its hash, as the log engine hands them to the store. */
export interface StoredHash extends NodeRef {
  readonly hash: Uint8Array;
}

/**
 * The complete subtrees, left to right (largest first), that make up the range [start, end) in a tree whose
 * nodes are aligned: RFC 6962's MTH(D[start:end]) is the right fold of their hashes with nodeHash.
 */
export function rangeNodes(start: number, end: number): NodeRef[] {
  const out: NodeRef[] = [];
  let pos = start;
  let rest = end - start;
  while (rest > 0) {
    const size = highestPowerOfTwoAtMost(rest);
    const level = Math.log2(size);
    out.push({ level, index: pos / size });
    pos += size;
    rest -= size;
  }
  return out;
}

/** The largest power of two <= n (n >= 1); safe beyond 2^31, unlike bit operators. */
export function highestPowerOfTwoAtMost(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** The largest power of two strictly less than n (n >= 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
