import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, type Hash, leafHash, nodeHash, toHex } from './hashing.js';
import { consistencyProof, inclusionProof } from './merkle-proofs.js';
import { type NodeRef, rangeNodes } from './node-ref.js';
import { rootFromInclusion, verifyConsistency, verifyInclusion } from './proof-verify.js';
import { TreeHasher } from './tree-hasher.js';

// Naive RFC 6962 §2.1 definitions, straight from the text, as the reference.
const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const k = (n: number) => 2 ** Math.floor(Math.log2(n - 1));
function mth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Uint8Array.of(0), d[0] as Uint8Array);
  const s = k(d.length);
  return sha(Uint8Array.of(1), mth(d.slice(0, s)), mth(d.slice(s)));
}
function path(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s ? [...path(m, d.slice(0, s)), mth(d.slice(s))] : [...path(m - s, d.slice(s)), mth(d.slice(0, s))];
}
function subproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [mth(d)];
  const s = k(d.length);
  return m <= s
    ? [...subproof(m, d.slice(0, s), b), mth(d.slice(s))]
    : [...subproof(m - s, d.slice(s), false), mth(d.slice(0, s))];
}

const leaves = Array.from({ length: 70 }, (_, i) => new TextEncoder().encode(`entry ${i}`));

/** A HashReader over an array of leaf data, built with TreeHasher's node callback (what the Log stores). */
function reader(n: number) {
  const levels: Hash[][] = [];
  const t = new TreeHasher();
  for (const l of leaves.slice(0, n))
    t.push(leafHash(l), (level, index, h) => {
      levels[level] ??= [];
      (levels[level] as Hash[])[index] = h;
    });
  return {
    tree: t,
    readNodes: async (refs: readonly NodeRef[]) => refs.map((r) => levels[r.level]?.[r.index] as Hash),
  };
}

describe('RFC 6962 hashing', () => {
  it('has the known-answer hashes', () => {
    expect(toHex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const a = leafHash(Uint8Array.of(0));
    const b = leafHash(Uint8Array.of(1));
    expect(toHex(nodeHash(a, b))).toBe(toHex(sha(Uint8Array.of(1), a, b)));
  });

  it('TreeHasher roots equal the naive MTH for sizes 0..70', () => {
    const t = new TreeHasher();
    expect(toHex(t.root())).toBe(toHex(mth([])));
    for (let n = 1; n <= 70; n++) {
      t.push(leafHash(leaves[n - 1] as Uint8Array));
      expect(toHex(t.root()), `size ${n}`).toBe(toHex(mth(leaves.slice(0, n))));
    }
  });
});

describe('RFC 6962 proofs from stored subtree hashes', () => {
  it('inclusion proofs for every index of every size up to 70 equal PATH and verify; resume keeps the root', async () => {
    for (let n = 1; n <= 70; n++) {
      const r = reader(n);
      const root = r.tree.root();
      const resumed = TreeHasher.resume(n, await r.readNodes(rangeNodes(0, n)));
      expect(toHex(resumed.root())).toBe(toHex(root));
      for (let m = 0; m < n; m++) {
        const proof = await inclusionProof(m, n, r);
        expect(proof.map(toHex)).toEqual(path(m, leaves.slice(0, n)).map(toHex));
        const lh = leafHash(leaves[m] as Uint8Array);
        expect(verifyInclusion(m, n, lh, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(Uint8Array.of(9)), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, lh, proof, root)).toBe(false);
        expect(rootFromInclusion(m, n + 1, lh, proof.slice(0, -1))).not.toEqual(root);
      }
    }
  });

  it('consistency proofs for every pair of sizes up to 70 equal PROOF and verify', async () => {
    const roots = Array.from({ length: 71 }, (_, n) => mth(leaves.slice(0, n)));
    for (let n = 1; n <= 70; n++) {
      const r = reader(n);
      for (let m = 1; m <= n; m++) {
        const proof = await consistencyProof(m, n, r);
        const expected = m === n ? [] : subproof(m, leaves.slice(0, n), true);
        expect(proof.map(toHex), `${m}->${n}`).toEqual(expected.map(toHex));
        expect(verifyConsistency(m, n, roots[m] as Hash, roots[n] as Hash, proof), `${m}->${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, roots[m - 1] as Hash, roots[n] as Hash, proof)).toBe(false);
          expect(verifyConsistency(m, n, roots[m] as Hash, roots[n - 1] as Hash, proof)).toBe(false);
          expect(verifyConsistency(m, n, roots[m] as Hash, roots[n] as Hash, proof.slice(1))).toBe(false);
        }
      }
    }
    expect(verifyConsistency(0, 5, EMPTY_ROOT, roots[5] as Hash, [])).toBe(true);
    expect(verifyConsistency(3, 3, roots[3] as Hash, roots[4] as Hash, [])).toBe(false);
  });
});
