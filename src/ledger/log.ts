import { HetaoError, isHetaoError } from '../core/index.js';
import { formatCheckpoint, openCheckpoint } from './checkpoint.js';
import { checkCanonicalEntry, encodeEntry } from './entry-codec.js';
import type { LedgerEntry } from './entry-types.js';
import { bytesEqual, type Hash, leafHash } from './hashing.js';
import type { LedgerStore, OutboxRow } from './ledger-store.js';
import { consistencyProof, inclusionProof } from './merkle-proofs.js';
import { rangeNodes, type StoredHash } from './node-ref.js';
import { signNote } from './note.js';
import { SIG_ED25519, type Signer, verifierOf } from './note-keys.js';
import { buildProofBundle } from './proof-bundle.js';
import { readTile } from './tiles.js';
import { TreeHasher } from './tree-hasher.js';

export interface LogOptions {
  readonly store: LedgerStore;
  /** The exchange's note key (type 0x01). Its name is the checkpoint origin. */
  readonly signer: Signer;
  /** Most entries in one batch (one commit, one checkpoint signature). Default 8192. */
  readonly maxBatch?: number;
}

export interface Appended {
  readonly index: number;
  /** The tree size of the checkpoint committed with the entry's batch. */
  readonly size: number;
  readonly checkpoint: string;
}

interface Pending {
  readonly bytes: Uint8Array;
  /** The outbox row the entry came from, removed with the commit. */
  readonly outboxId?: number;
  readonly resolve: (a: Appended) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * The append-only log with durable group commit. `append` resolves only after the store committed the batch that
 * holds the entry; a batch is whatever was queued while the previous commit was in flight (at most maxBatch), and
 * each batch gets exactly one signed checkpoint. One Log per store: the store's fromSize check catches a second.
 */
export class Log {
  readonly #store: LedgerStore;
  readonly #signer: Signer;
  readonly #maxBatch: number;
  #tree: TreeHasher;
  #queue: Pending[] = [];
  #draining = false;
  #stale = false;

  private constructor(opts: LogOptions, tree: TreeHasher) {
    this.#store = opts.store;
    this.#signer = opts.signer;
    this.#maxBatch = opts.maxBatch ?? 8192;
    this.#tree = tree;
  }

  /** Loads the right edge of the tree from the store and checks it against the stored, signed checkpoint. */
  static async open(opts: LogOptions): Promise<Log> {
    if (opts.signer.type !== SIG_ED25519)
      throw new HetaoError('HETAO_LEDGER_KEY_INVALID', 'the log signs checkpoints with a type 0x01 key');
    return new Log(opts, await Log.#load(opts.store, opts.signer));
  }

  static async #load(store: LedgerStore, signer: Signer): Promise<TreeHasher> {
    const text = await store.latestCheckpoint();
    if (text === undefined) return new TreeHasher();
    const { checkpoint } = openCheckpoint(text, [verifierOf(signer)]);
    if (checkpoint.origin !== signer.name)
      throw new HetaoError('HETAO_LEDGER_KEY_INVALID', `the stored log is ${checkpoint.origin}, not ${signer.name}`);
    const tree = TreeHasher.resume(checkpoint.size, await store.readNodes(rangeNodes(0, checkpoint.size)));
    if (!bytesEqual(tree.root(), checkpoint.rootHash))
      throw new HetaoError('HETAO_LEDGER_VERIFY_FAILED', 'the stored hashes do not match the stored checkpoint');
    return tree;
  }

  get origin(): string {
    return this.#signer.name;
  }

  /** Committed tree size as this engine knows it. */
  get size(): number {
    return this.#tree.size;
  }

  append(entry: LedgerEntry): Promise<Appended> {
    let bytes: Uint8Array;
    try {
      bytes = encodeEntry(entry);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#enqueue({ bytes });
  }

  /**
   * Appends an entry staged in the store's outbox (canonical bytes, checked again here); the batch's commit
   * removes the outbox row.
   */
  appendStaged(row: OutboxRow): Promise<Appended> {
    try {
      checkCanonicalEntry(row.bytes);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#enqueue({ bytes: row.bytes, outboxId: row.id });
  }

  #enqueue(p: { bytes: Uint8Array; outboxId?: number }): Promise<Appended> {
    return new Promise<Appended>((resolve, reject) => {
      this.#queue.push({ ...p, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        // A microtask later, so appends made in the same tick share the first batch.
        queueMicrotask(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#commit(this.#queue.splice(0, this.#maxBatch));
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    try {
      if (this.#stale) {
        this.#tree = await Log.#load(this.#store, this.#signer);
        this.#stale = false;
      }
      const fromSize = this.#tree.size;
      const tree = this.#tree.clone();
      const hashes: StoredHash[] = [];
      const onNode = (level: number, index: number, hash: Hash) => hashes.push({ level, index, hash });
      for (const p of batch) tree.push(leafHash(p.bytes), onNode);
      const body = formatCheckpoint({ origin: this.origin, size: tree.size, rootHash: tree.root(), extensions: [] });
      const checkpoint = signNote(body, [this.#signer]);
      const outbox = batch.flatMap((p, i) =>
        p.outboxId === undefined ? [] : [{ id: p.outboxId, index: fromSize + i }],
      );
      await this.#store.appendBatch({
        fromSize,
        entries: batch.map((p) => p.bytes),
        hashes,
        checkpoint,
        ...(outbox.length ? { outbox } : {}),
      });
      this.#tree = tree;
      batch.forEach((p, i) => {
        p.resolve({ index: fromSize + i, size: tree.size, checkpoint });
      });
    } catch (cause) {
      // The store may have committed before failing to answer; reload before the next batch.
      this.#stale = true;
      const why = isHetaoError(cause) ? `${cause.code}: ${cause.message}` : String(cause);
      const err = new HetaoError('HETAO_LEDGER_COMMIT_FAILED', `a batch of ${batch.length} entries failed: ${why}`, {
        cause,
      });
      for (const p of batch) p.reject(err);
    }
  }

  /** The latest stored checkpoint (with any cosignatures), or a signed checkpoint of the empty tree. */
  async checkpoint(): Promise<string> {
    const text = await this.#store.latestCheckpoint();
    if (text !== undefined) return text;
    const body = formatCheckpoint({ origin: this.origin, size: 0, rootHash: this.#tree.root(), extensions: [] });
    return signNote(body, [this.#signer]);
  }

  /** Publishes a cosigned version of the checkpoint of tree size `size`; false when a newer one exists. */
  publishCosigned(size: number, text: string): Promise<boolean> {
    return this.#store.replaceCheckpoint(size, text);
  }

  async inclusionProof(index: number, size: number = this.size): Promise<Hash[]> {
    this.#checkSize(size);
    return inclusionProof(index, size, this.#store);
  }

  async consistencyProof(oldSize: number, size: number = this.size): Promise<Hash[]> {
    this.#checkSize(size);
    return consistencyProof(oldSize, size, this.#store);
  }

  /** Tile or entry bundle bytes for a path like `tile/0/x001/234` or `tile/entries/005.p/17`. */
  tile(path: string): Promise<Uint8Array> {
    return readTile(this.#store, path, this.size);
  }

  /** A c2sp.org/tlog-proof bundle for entry `index` against the latest checkpoint; the entry rides in `extra`. */
  async prove(index: number): Promise<string> {
    const text = await this.checkpoint();
    const { checkpoint } = openCheckpoint(text, [verifierOf(this.#signer)]);
    const proof = await inclusionProof(index, checkpoint.size, this.#store);
    const [entry] = await this.#store.readEntries(index, 1);
    return buildProofBundle({ index, proof, checkpoint: text, extra: entry });
  }

  #checkSize(size: number): void {
    if (size > this.size)
      throw new HetaoError('HETAO_LEDGER_NOT_FOUND', `tree size ${size} is beyond the log (${this.size} entries)`);
  }
}
