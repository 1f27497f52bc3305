import { HetaoError, isHetaoError } from '../core/index.js';
import { openCheckpoint } from './checkpoint.js';
import { toBase64 } from './hashing.js';
import type { PublishedCheckpointStore } from './ledger-store.js';
import type { Log } from './log.js';
import type { Witness } from './witness.js';
import { evaluatePolicy, mergeCosignatures, type TrustPolicy } from './witness-policy.js';

/** The answer to one add-checkpoint request, as c2sp.org/tlog-witness defines it over HTTP. */
export interface AddCheckpointAnswer {
  readonly status: number;
  /** 200: cosignature lines; 409 with text/x.tlog.size: the witness's size and a newline; else an explanation. */
  readonly body: string;
}

/** A witness the exchange asks for cosignatures: over HTTP, or a Witness object in the same process. */
export interface WitnessClient {
  /** The witness's key name (its cosignature lines carry it). */
  readonly name: string;
  /** Its cosignature verifier key (type 0x04). */
  readonly verifierKey: string;
  addCheckpoint(body: string): Promise<AddCheckpointAnswer>;
}

/** A Witness in this process, answering exactly as its HTTP server would (no network). */
export function inProcessWitness(name: string, witness: Witness): WitnessClient {
  return {
    name,
    verifierKey: witness.verifierKey,
    async addCheckpoint(body) {
      try {
        return { status: 200, body: await witness.addCheckpoint(body) };
      } catch (err) {
        if (!isHetaoError(err)) throw err;
        const size = err.code === 'HETAO_LEDGER_WITNESS_OLD_SIZE' ? (err.details as { size: number }).size : undefined;
        return { status: err.status, body: size === undefined ? `${err.code}: ${err.message}\n` : `${size}\n` };
      }
    },
  };
}

export interface CosignerOptions {
  readonly log: Log;
  readonly witnesses: readonly WitnessClient[];
  /** The log's key, the witnesses' keys and the quorum a checkpoint needs to be published. */
  readonly policy: TrustPolicy;
  readonly published: PublishedCheckpointStore;
  /** Told about every witness that failed a round (the round goes on with the others). */
  readonly onWitnessError?: (witness: string, err: unknown) => void;
}

/**
 * Collects witness cosignatures for the log's latest checkpoint and publishes it once the policy is met. It
 * remembers each witness's latest cosigned size, so a request carries the consistency proof from there; a 409
 * (the witness knows another size, e.g. after a restart) is retried once from the size the witness answered.
 * Rounds must not overlap (the caller serialises them); a round never throws for a witness's failure.
 */
export class Cosigner {
  readonly #o: CosignerOptions;
  readonly #known = new Map<string, number>();
  #published: { size: number; text: string } | undefined;

  constructor(opts: CosignerOptions) {
    this.#o = opts;
  }

  /** Loads the published checkpoint from the store (after a restart). */
  async load(): Promise<void> {
    const text = await this.#o.published.latestPublished();
    if (text === undefined) return;
    const r = evaluatePolicy(text, this.#o.policy);
    if (r.met) this.#published = { size: r.checkpoint.size, text };
  }

  /** The latest published (policy-met) checkpoint, or undefined before the first. */
  get published(): string | undefined {
    return this.#published?.text;
  }

  get publishedSize(): number | undefined {
    return this.#published?.size;
  }

  /** One round on the log's latest checkpoint; resolves with the published checkpoint (maybe unchanged). */
  async round(): Promise<string | undefined> {
    const { log, policy, witnesses } = this.#o;
    const text = await log.checkpoint();
    const { checkpoint } = openCheckpoint(text, [policy.log]);
    if (this.#published !== undefined && this.#published.size >= checkpoint.size) return this.#published.text;
    const answers = await Promise.all(witnesses.map((w) => this.#ask(w, text, checkpoint.size)));
    const merged = mergeCosignatures(
      text,
      answers.filter((a): a is string => a !== undefined),
      policy,
    );
    if (!merged.met) return this.#published?.text;
    await log.publishCosigned(checkpoint.size, merged.text);
    await this.#o.published.savePublished(checkpoint.size, merged.text);
    this.#published = { size: checkpoint.size, text: merged.text };
    return merged.text;
  }

  async #ask(w: WitnessClient, text: string, size: number): Promise<string | undefined> {
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const old = this.#known.get(w.name) ?? 0;
        if (old > size)
          throw new HetaoError(
            'HETAO_LEDGER_WITNESS_OLD_SIZE',
            `${w.name} holds size ${old}, beyond this log's ${size}: the log lost entries it showed the witness`,
          );
        const proof = old === 0 ? [] : await this.#o.log.consistencyProof(old, size);
        const body = `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${text}`;
        const answer = await w.addCheckpoint(body);
        if (answer.status === 200) {
          this.#known.set(w.name, size);
          return answer.body;
        }
        const m = /^(0|[1-9][0-9]*)\n$/.exec(answer.body);
        if (answer.status !== 409 || m === null) throw new Error(`${w.name} answered ${answer.status}: ${answer.body}`);
        this.#known.set(w.name, Number(m[1]));
      }
      throw new Error(`${w.name} kept answering 409`);
    } catch (err) {
      this.#o.onWitnessError?.(w.name, err);
      return undefined;
    }
  }
}
