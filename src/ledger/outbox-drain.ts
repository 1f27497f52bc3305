import { type HetaoError, isHetaoError } from '../core/index.js';
import type { OutboxReader, OutboxRow } from './ledger-store.js';
import type { Appended } from './log.js';

/** What the log answers for bytes that are not a valid canonical entry: no retry can append them. */
const UNAPPENDABLE: ReadonlySet<string> = new Set(['HETAO_LEDGER_ENTRY_INVALID', 'HETAO_LEDGER_ENTRY_NONCANONICAL']);

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

  readonly #onRejected: (row: OutboxRow, err: HetaoError) => void;
  readonly #now: () => number;

  /**
   * A row whose bytes are not a valid canonical entry can never be appended: it is set aside (rejectOutbox) and
   * reported to `onRejected`, so it does not hold back the entries staged after it. Any other failure leaves the
   * rows staged and fails the flush.
   */
  constructor(
    reader: OutboxReader,
    append: (row: OutboxRow) => Promise<Appended>,
    onRejected: (row: OutboxRow, err: HetaoError) => void = () => {},
    now: () => number = Date.now,
  ) {
    this.#reader = reader;
    this.#append = append;
    this.#onRejected = onRejected;
    this.#now = now;
  }

  async #appendOrReject(row: OutboxRow): Promise<void> {
    try {
      await this.#append(row);
    } catch (err) {
      if (!isHetaoError(err) || !UNAPPENDABLE.has(err.code)) throw err;
      await this.#reader.rejectOutbox(row.id, `${err.code}: ${err.message}`, this.#now());
      this.#onRejected(row, err);
    }
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
            await Promise.all(rows.map((r) => this.#appendOrReject(r)));
          }
        } while (this.#again);
      } finally {
        this.#pass = undefined;
      }
    })();
    return this.#pass;
  }
}
