import { HetaoError } from '../../core/index.js';
import type { Hash } from '../hashing.js';
import type { LedgerBatch, LedgerStore, OutboxReader, OutboxRow, PublishedCheckpointStore } from '../ledger-store.js';
import type { NodeRef } from '../node-ref.js';

/**
 * The reference LedgerStore, in memory, for tests and benchmarks. Fields are public so tests can tamper with
 * "stored" data; `beforeCommit` lets tests delay or fail a commit.
 */
export class MemoryLedgerStore implements LedgerStore, PublishedCheckpointStore, OutboxReader {
  readonly entries: Uint8Array[] = [];
  /** levels[h][i]: hash of the complete subtree at level h, index i. */
  readonly levels: Hash[][] = [];
  checkpoint: string | undefined;
  published: { size: number; text: string } | undefined;
  /** Called at the start of every appendBatch; a rejection fails the commit with nothing written. */
  beforeCommit: ((batch: LedgerBatch) => Promise<void>) | undefined;
  commits = 0;
  /** Staged entries by outbox id (what a domain transaction would write); `stage` adds one. */
  readonly outbox = new Map<number, { bytes: Uint8Array; ref?: string }>();
  /** The index each appended outbox row with a ref got, by ref (recorded with the commit). */
  readonly refs = new Map<string, number>();
  #nextOutboxId = 1;
  readonly #slab = new Slab();

  stage(bytes: Uint8Array, ref?: string): number {
    const id = this.#nextOutboxId++;
    this.outbox.set(id, ref === undefined ? { bytes } : { bytes, ref });
    return id;
  }

  async readOutbox(limit: number): Promise<OutboxRow[]> {
    return [...this.outbox].slice(0, limit).map(([id, row]) => ({ id, ...row }));
  }

  /** Rows set aside by rejectOutbox, with why. */
  readonly rejected = new Map<number, { bytes: Uint8Array; reason: string; at: number }>();

  async rejectOutbox(id: number, reason: string, at: number): Promise<void> {
    const row = this.outbox.get(id);
    if (!row) return;
    this.outbox.delete(id);
    this.rejected.set(id, { bytes: row.bytes, reason, at });
  }

  async countRejectedOutbox(): Promise<number> {
    return this.rejected.size;
  }

  async appendBatch(batch: LedgerBatch): Promise<void> {
    if (this.beforeCommit) await this.beforeCommit(batch);
    if (batch.fromSize !== this.entries.length)
      throw new HetaoError(
        'HETAO_LEDGER_STORE_CONFLICT',
        `the batch starts at ${batch.fromSize} but the ledger holds ${this.entries.length} entries`,
      );
    if ((batch.outbox ?? []).some((o) => !this.outbox.has(o.id)))
      throw new HetaoError('HETAO_LEDGER_STORE_CONFLICT', 'an outbox entry of the batch was appended already');
    // Validate everything before changing anything: the commit is all or nothing.
    const lengths = this.levels.map((l) => l.length);
    for (const h of batch.hashes) {
      const at = lengths[h.level] ?? 0;
      if (h.index !== at) throw new Error(`hash (${h.level}, ${h.index}) is out of order (expected index ${at})`);
      lengths[h.level] = at + 1;
    }
    for (const h of batch.hashes) {
      let level = this.levels[h.level];
      if (level === undefined) {
        level = [];
        this.levels[h.level] = level;
      }
      level.push(this.#slab.copy(h.hash));
    }
    for (const e of batch.entries) this.entries.push(this.#slab.copy(e));
    for (const o of batch.outbox ?? []) {
      const ref = this.outbox.get(o.id)?.ref;
      if (ref !== undefined) this.refs.set(ref, o.index);
      this.outbox.delete(o.id);
    }
    this.checkpoint = batch.checkpoint;
    this.commits++;
  }

  async latestCheckpoint(): Promise<string | undefined> {
    return this.checkpoint;
  }

  async replaceCheckpoint(size: number, text: string): Promise<boolean> {
    if (size !== this.entries.length) return false;
    this.checkpoint = text;
    return true;
  }

  async latestPublished(): Promise<string | undefined> {
    return this.published?.text;
  }

  async savePublished(size: number, text: string): Promise<void> {
    if (this.published === undefined || this.published.size <= size) this.published = { size, text };
  }

  async readEntries(from: number, count: number): Promise<Uint8Array[]> {
    if (from + count > this.entries.length) throw notFound(`entries ${from}..${from + count - 1}`);
    return this.entries.slice(from, from + count);
  }

  async readHashes(level: number, from: number, count: number): Promise<Hash[]> {
    const l = this.levels[level] ?? [];
    if (from + count > l.length) throw notFound(`hashes ${from}..${from + count - 1} at level ${level}`);
    return l.slice(from, from + count);
  }

  async readNodes(nodes: readonly NodeRef[]): Promise<Hash[]> {
    return nodes.map((n) => {
      const h = this.levels[n.level]?.[n.index];
      if (h === undefined) throw notFound(`node (${n.level}, ${n.index})`);
      return h;
    });
  }
}

function notFound(what: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_NOT_FOUND', `${what} are not stored`);
}

/** Copies small arrays into 1 MiB chunks: millions of stored hashes without millions of ArrayBuffers to collect. */
class Slab {
  #chunk = new Uint8Array(0);
  #used = 0;
  copy(b: Uint8Array): Uint8Array {
    if (this.#used + b.length > this.#chunk.length) {
      this.#chunk = new Uint8Array(Math.max(1 << 20, b.length));
      this.#used = 0;
    }
    const out = this.#chunk.subarray(this.#used, this.#used + b.length);
    out.set(b);
    this.#used += b.length;
    return out;
  }
}
