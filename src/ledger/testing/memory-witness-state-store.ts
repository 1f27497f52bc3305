import { bytesEqual } from '../hashing.js';
import type { WitnessState, WitnessStateStore } from '../witness-state-store.js';

/** The reference WitnessStateStore, in memory (single process: the check and the write run without awaiting). */
export class MemoryWitnessStateStore implements WitnessStateStore {
  readonly states = new Map<string, WitnessState>();

  async get(origin: string): Promise<WitnessState | undefined> {
    return this.states.get(origin);
  }

  async compareAndSwap(origin: string, expected: WitnessState | undefined, next: WitnessState): Promise<boolean> {
    const cur = this.states.get(origin);
    const same =
      cur === undefined || expected === undefined
        ? cur === expected
        : cur.size === expected.size && bytesEqual(cur.rootHash, expected.rootHash);
    if (!same) return false;
    this.states.set(origin, next);
    return true;
  }
}
