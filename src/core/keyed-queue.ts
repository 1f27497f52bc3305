/**
 * Runs work one at a time per key, in the order it arrives; work under different keys runs side by side. Used where
 * a read-decide-write must not interleave with another on the same subject (an exporter's annual counts, an
 * organization's subsidy spend). It orders work within one process only.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` once every earlier call under `key` has settled, and settles as it does. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Keys with work waiting or running. */
  get size(): number {
    return this.#tails.size;
  }
}

/** One queue per owner object (an API instance, a store), made on first use and dropped with its owner. */
export function queueOf(queues: WeakMap<object, KeyedQueue>, owner: object): KeyedQueue {
  let q = queues.get(owner);
  if (!q) {
    q = new KeyedQueue();
    queues.set(owner, q);
  }
  return q;
}
