import { HetaoError } from '../core/index.js';
import type { HashReader } from './hash-reader.js';
import { type Hash, nodeHash } from './hashing.js';
import { type NodeRef, rangeNodes, splitPoint } from './node-ref.js';

/**
 * A proof as a plan: each element is one RFC 6962 proof hash, the MTH of a range, given as the complete subtrees
 * whose hashes fold (right to left) into it. Plans are pure functions of the sizes; one batched read fills them.
 */
export type ProofPlan = readonly (readonly NodeRef[])[];

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer (got ${n})`);
}

/** RFC 6962 §2.1.1 PATH(index, D[size]), leaf sibling first. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  checkSize(index, 'index');
  checkSize(size, 'size');
  if (index >= size)
    throw new HetaoError('HETAO_LEDGER_NOT_FOUND', `entry ${index} is not in a tree of ${size} entries`);
  const out: NodeRef[][] = [];
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      out.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      out.push(rangeNodes(lo, lo + k));
      lo += k;
    }
  }
  return out.reverse();
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]); empty when m is 0 or m equals n. */
export function consistencyPlan(m: number, n: number): ProofPlan {
  checkSize(m, 'old size');
  checkSize(n, 'size');
  if (m > n) throw new HetaoError('HETAO_LEDGER_NOT_FOUND', `old size ${m} is larger than size ${n}`);
  if (m === 0 || m === n) return [];
  const out: NodeRef[][] = [];
  let lo = 0;
  let hi = n;
  let rel = m;
  let complete = true; // SUBPROOF's b: the old tree is a complete subtree seen so far
  for (;;) {
    if (rel === hi - lo) {
      if (!complete) out.push(rangeNodes(lo, hi));
      break;
    }
    const k = splitPoint(hi - lo);
    if (rel <= k) {
      out.push(rangeNodes(lo + k, hi));
      hi = lo + k;
    } else {
      out.push(rangeNodes(lo, lo + k));
      rel -= k;
      lo += k;
      complete = false;
    }
  }
  return out.reverse();
}

/** Fills a plan with one read. */
export async function readProof(plan: ProofPlan, reader: HashReader): Promise<Hash[]> {
  const refs = plan.flat();
  const hashes = refs.length === 0 ? [] : await reader.readNodes(refs);
  const out: Hash[] = [];
  let at = 0;
  for (const element of plan) {
    const parts = hashes.slice(at, at + element.length);
    at += element.length;
    out.push(foldRight(parts));
  }
  return out;
}

/** MTH of consecutive complete subtrees given largest first. */
export function foldRight(parts: readonly Hash[]): Hash {
  let r = parts[parts.length - 1] as Hash;
  for (let i = parts.length - 2; i >= 0; i--) r = nodeHash(parts[i] as Hash, r);
  return r;
}

/** The root of the first `size` leaves from stored subtree hashes. */
export async function readRoot(size: number, reader: HashReader): Promise<Hash | undefined> {
  if (size === 0) return undefined;
  return foldRight(await reader.readNodes(rangeNodes(0, size)));
}

export function inclusionProof(index: number, size: number, reader: HashReader): Promise<Hash[]> {
  return readProof(inclusionPlan(index, size), reader);
}

export function consistencyProof(m: number, n: number, reader: HashReader): Promise<Hash[]> {
  return readProof(consistencyPlan(m, n), reader);
}
