import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store, type StoreTarget } from '../open-store.js';
import type { TestTarget } from './targets.js';

/** A freshly migrated database for every test of the calling suite, closed and removed after it. */
export interface FreshStore {
  readonly store: Store;
  /** Where it lives, for opening a second connection to it. */
  readonly target: StoreTarget;
  /** Closes the store and opens the same database again (a restart). */
  reopen(): Promise<void>;
}

export function freshStorePerTest(target: TestTarget, at: number): FreshStore {
  let current: { store: Store; target: StoreTarget; cleanup: () => Promise<void> } | undefined;
  beforeEach(async () => {
    const fresh = await target.fresh();
    current = { store: openStore(fresh.target), target: fresh.target, cleanup: fresh.cleanup };
    await current.store.migrate(at);
  });
  afterEach(async () => {
    await current?.store.close();
    await current?.cleanup();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('freshStorePerTest: used outside a test');
    return current;
  };
  return {
    get store() {
      return now().store;
    },
    get target() {
      return now().target;
    },
    async reopen() {
      const c = now();
      await c.store.close();
      c.store = openStore(c.target);
    },
  };
}
