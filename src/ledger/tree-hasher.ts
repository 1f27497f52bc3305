import { EMPTY_ROOT, type Hash, nodeHash } from './hashing.js';
import { rangeNodes } from './node-ref.js';

/** Called for every complete subtree a push completes (including the leaf itself at level 0). */
export type OnNode = (level: number, index: number, hash: Hash) => void;

/**
 * The right edge of an RFC 6962 tree (a compact range from 0): the hashes of the complete subtrees that make up
 * the first `size` leaves, largest first. Appending a leaf merges equal-sized subtrees, as binary addition does;
 * the root is their right fold. O(log n) memory, about one node hash per leaf.
 */
export class TreeHasher {
  #size = 0;
  readonly #hashes: Hash[] = [];
  readonly #levels: number[] = [];

  /** Resumes from the subtree hashes of `rangeNodes(0, size)`, in that order. */
  static resume(size: number, subtrees: readonly Hash[]): TreeHasher {
    const refs = rangeNodes(0, size);
    if (refs.length !== subtrees.length) throw new RangeError(`size ${size} needs ${refs.length} subtree hashes`);
    const t = new TreeHasher();
    t.#size = size;
    refs.forEach((r, i) => {
      t.#levels.push(r.level);
      t.#hashes.push(subtrees[i] as Hash);
    });
    return t;
  }

  get size(): number {
    return this.#size;
  }

  push(leaf: Hash, onNode?: OnNode): void {
    let h = leaf;
    let level = 0;
    let index = this.#size;
    onNode?.(0, index, h);
    while (this.#levels.length > 0 && this.#levels[this.#levels.length - 1] === level) {
      this.#levels.pop();
      h = nodeHash(this.#hashes.pop() as Hash, h);
      level++;
      index = Math.floor(index / 2);
      onNode?.(level, index, h);
    }
    this.#hashes.push(h);
    this.#levels.push(level);
    this.#size++;
  }

  root(): Hash {
    const n = this.#hashes.length;
    if (n === 0) return EMPTY_ROOT;
    let r = this.#hashes[n - 1] as Hash;
    for (let i = n - 2; i >= 0; i--) r = nodeHash(this.#hashes[i] as Hash, r);
    return r;
  }

  clone(): TreeHasher {
    return TreeHasher.resume(this.#size, this.#hashes);
  }
}
