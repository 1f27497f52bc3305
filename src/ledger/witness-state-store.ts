import type { Hash } from './hashing.js';

/** What a witness remembers per log: the latest checkpoint it cosigned. */
export interface WitnessState {
  readonly size: number;
  readonly rootHash: Hash;
}

/**
 * The witness's persistence port (files or a database). ./testing/memory-witness-state-store.ts is the reference.
 */
export interface WitnessStateStore {
  /** The latest cosigned state for `origin`, or undefined if the witness never cosigned for it. */
  get(origin: string): Promise<WitnessState | undefined>;
  /**
   * ATOMIC compare-and-swap: if the stored state for `origin` equals `expected` (same size and root hash bytes;
   * undefined meaning "nothing stored"), store `next` and resolve true; otherwise change nothing and resolve false.
   * Must be durable before resolving true (the witness answers with a cosignature right after). This is what keeps
   * two concurrent add-checkpoint calls from rolling the state back (c2sp.org/tlog-witness).
   */
  compareAndSwap(origin: string, expected: WitnessState | undefined, next: WitnessState): Promise<boolean>;
}
