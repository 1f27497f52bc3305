import type { Hash } from './hashing.js';
import type { NodeRef } from './node-ref.js';

/**
 * Reads stored complete-subtree hashes. Contract: returns one hash per ref, in the order asked, each the RFC 6962
 * MTH of the leaves [index * 2^level, (index + 1) * 2^level); rejects when any ref is not stored (beyond the tree).
 */
export interface HashReader {
  readNodes(nodes: readonly NodeRef[]): Promise<Hash[]>;
}
