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
  #pass: Promise<void> | undefined;
  #again = false;

  constructor(reader: OutboxReader, append: (row: OutboxRow) => Promise<Appended>) {
    this.#reader = reader;
    this.#append = append;
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
            await Promise.all(rows.map((r) => this.#append(r)));
          }
        } while (this.#again);
      } finally {
        this.#pass = undefined;
      }
    })();
    return this.#pass;
  }
}
