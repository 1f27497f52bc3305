import type { OutboxReader, OutboxRow } from './ledger-store.js';
import type { Appended } from './log.js';

/** Rows read from the outbox per round. */
const ROUND = 1000;

/**
 * Moves entries staged in the store's outbox into the log. `flush` appends every staged entry — those staged
 * before the call and any staged while it runs — and resolves once they are committed; the log's commit removes
 * their rows, so each is appended once. Calls during a pass share it, and make it read the outbox once more. On
 * a failed commit the rows stay, for the next flush.
 */
export class OutboxDrain {
  readonly #reader: OutboxReader;
  readonly #append: (row: OutboxRow) => Promise<Appended>;
  readonly #onAppended: ((ref: string, index: number) => Promise<void>) | undefined;
  #pass: Promise<void> | undefined;
  #again = false;

  /**
   * `onAppended` is told the index of each appended entry that has a `ref`, after its commit (a crash in between
   * leaves the record without the index; the entry is in the log all the same). It must not throw.
   */
  constructor(
    reader: OutboxReader,
    append: (row: OutboxRow) => Promise<Appended>,
    onAppended?: (ref: string, index: number) => Promise<void>,
  ) {
    this.#reader = reader;
    this.#append = append;
    this.#onAppended = onAppended;
  }

  flush(): Promise<void> {
    if (this.#pass !== undefined) {
      this.#again = true;
      return this.#pass;
    }
    this.#pass = (async () => {
      try {
        do {
          this.#again = false;
          for (;;) {
            const rows = await this.#reader.readOutbox(ROUND);
            if (rows.length === 0) break;
            await Promise.all(
              rows.map(async (r) => {
                const a = await this.#append(r);
                if (r.ref !== undefined && this.#onAppended) await this.#onAppended(r.ref, a.index);
              }),
            );
          }
        } while (this.#again);
      } finally {
        this.#pass = undefined;
      }
    })();
    return this.#pass;
  }
}
