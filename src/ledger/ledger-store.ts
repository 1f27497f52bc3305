import type { HashReader } from './hash-reader.js';
import type { Hash } from './hashing.js';
import type { StoredHash } from './node-ref.js';

/** One group commit: everything the log adds for a batch of entries. */
export interface LedgerBatch {
  /** The tree size the batch was computed on; the first entry gets this index. */
  readonly fromSize: number;
  /** Canonical entry bytes, in log order: entry i has index fromSize + i. */
  readonly entries: readonly Uint8Array[];
  /**
   * Every complete subtree the batch completes: each leaf hash (level 0) and each interior node whose subtree
   * now is complete. (level, index) pairs are new: none was stored before.
   */
  readonly hashes: readonly StoredHash[];
  /** The signed checkpoint (note text) for tree size fromSize + entries.length. */
  readonly checkpoint: string;
  /**
   * Outbox rows some of the entries came from (see OutboxReader), with the index each entry gets: removed in the
   * same transaction, so an entry staged with the change it records is appended exactly once, and the index of
   * each row that has a `ref` is recorded under that ref in it too (a flow's ledgerIndex is read from there). A row
   * already gone (another writer appended it) is a HETAO_LEDGER_STORE_CONFLICT, writing nothing.
   */
  readonly outbox?: readonly OutboxTake[];
}

/** An outbox row a batch appends, and the index its entry gets. */
export interface OutboxTake {
  readonly id: number;
  readonly index: number;
}

/** An entry staged in the store's outbox, in the transaction of the change it records, not yet in the log. */
export interface OutboxRow {
  readonly id: number;
  /** Canonical entry bytes. */
  readonly bytes: Uint8Array;
  /** The record whose entry this is, e.g. `flow:<id>`: the commit that appends it records its index under it. */
  readonly ref?: string;
}

/** The outbox as the drain sees it. */
export interface OutboxReader {
  /** The oldest rows first, at most `limit`. */
  readOutbox(limit: number): Promise<readonly OutboxRow[]>;
  /**
   * Sets a row aside that can never be appended (its bytes are not a valid canonical entry: a fault of the code
   * that staged it), atomically: it leaves the outbox, so the entries after it are appended, and is kept with
   * `reason` for the operator. A row already gone is left as it is.
   */
  rejectOutbox(id: number, reason: string, at: number): Promise<void>;
  /** How many rows have been set aside. */
  countRejectedOutbox(): Promise<number>;
}

/**
 * The ledger's persistence port. Adapters (SQLite, PostgreSQL) implement it; ./testing/memory-ledger-store.ts is
 * the reference. Sizes and indexes are safe integers. All reads see only committed batches.
 */
export interface LedgerStore extends HashReader {
  /**
   * Commits one batch ATOMICALLY: entries, hashes and the checkpoint become visible together or not at all.
   * Must first check, inside the same transaction, that the stored size equals `batch.fromSize`, and otherwise
   * reject with HetaoError HETAO_LEDGER_STORE_CONFLICT writing nothing. Resolves only once the commit is durable
   * (for SQL: after COMMIT returns). Any rejection means "nothing written" except for a lost acknowledgement,
   * which the fromSize check turns into a conflict on the next batch.
   */
  appendBatch(batch: LedgerBatch): Promise<void>;

  /**
   * The latest checkpoint note: the one committed with the last batch, or the text `replaceCheckpoint` put in
   * its place (same tree size, more cosignatures). Undefined for an empty ledger.
   */
  latestCheckpoint(): Promise<string | undefined>;

  /**
   * Replaces the latest checkpoint text with a cosigned version of it, only if the stored size is still `size`
   * (compare-and-set); resolves false, changing nothing, when a newer batch was committed meanwhile.
   */
  replaceCheckpoint(size: number, text: string): Promise<boolean>;

  /** Entries [from, from + count) in index order; rejects with HETAO_LEDGER_NOT_FOUND past the stored size. */
  readEntries(from: number, count: number): Promise<Uint8Array[]>;

  /**
   * Hashes of complete subtrees at one tree level, indexes [from, from + count), in order (a tile at tile level
   * L is readHashes(8L, 256N, W)); rejects with HETAO_LEDGER_NOT_FOUND when any is not stored.
   */
  readHashes(level: number, from: number, count: number): Promise<Hash[]>;
}

/**
 * Where the exchange keeps the latest checkpoint that met its witness policy (the one it serves), so a restart
 * serves it again before the next witnessing round. Separate from LedgerStore: the log engine never needs it.
 */
export interface PublishedCheckpointStore {
  /** The latest published (cosigned, policy-met) checkpoint note, or undefined if none was published yet. */
  latestPublished(): Promise<string | undefined>;
  /** Records `text`, a checkpoint of tree size `size`, as published unless a larger size was published already. */
  savePublished(size: number, text: string): Promise<void>;
}
