import { type Clock, HetaoError, isHetaoError } from '../core/index.js';
import { type Checkpoint, openCheckpoint, parseCheckpoint } from './checkpoint.js';
import { cosign } from './cosignature.js';
import { bytesEqual, EMPTY_ROOT, fromBase64, type Hash } from './hashing.js';
import { parseNote } from './note.js';
import { SIG_COSIGNATURE_V1, type Signer, type Verifier } from './note-keys.js';
import { verifyConsistency } from './proof-verify.js';
import type { WitnessStateStore } from './witness-state-store.js';

/** A log the witness cosigns for: its origin line and the keys it may sign checkpoints with. */
export interface WitnessedLog {
  readonly origin: string;
  readonly verifiers: readonly Verifier[];
}

export interface WitnessOptions {
  /** The witness's cosignature key (type 0x04). */
  readonly signer: Signer;
  readonly logs: readonly WitnessedLog[];
  readonly state: WitnessStateStore;
  readonly clock: Clock;
}

/** c2sp.org/tlog-witness allows at most 63 consistency proof lines. */
const MAX_PROOF_LINES = 63;

function malformed(message: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_WITNESS_MALFORMED', `add-checkpoint: ${message}`);
}

function oldSizeMismatch(latest: number, old: number): HetaoError {
  return new HetaoError(
    'HETAO_LEDGER_WITNESS_OLD_SIZE',
    `the witness's latest cosigned size is ${latest}, not ${old}; retry from ${latest}`,
    { details: { size: latest } },
  );
}

/** Parses an add-checkpoint body: `old <N>\n`, proof lines, `\n`, then the signed checkpoint. */
export function parseAddCheckpoint(body: string): { oldSize: number; proof: Hash[]; checkpoint: string } {
  const first = body.indexOf('\n');
  const m = /^old (0|[1-9][0-9]*)$/.exec(body.slice(0, Math.max(first, 0)));
  if (first < 0 || m === null || !Number.isSafeInteger(Number(m[1])))
    throw malformed('the first line must be "old <size>" without leading zeros');
  const blank = body.indexOf('\n\n', first - 1);
  if (blank < 0) throw malformed('no blank line before the checkpoint');
  const proofText = body.slice(first + 1, blank + 1);
  const lines = proofText.length === 0 ? [] : proofText.slice(0, -1).split('\n');
  if (lines.length > MAX_PROOF_LINES) throw malformed(`at most ${MAX_PROOF_LINES} consistency proof lines`);
  const proof = lines.map((l) => {
    const h = fromBase64(l);
    if (h === undefined || h.length !== 32) throw malformed('each proof line must be base64 of a 32-byte hash');
    return h;
  });
  return { oldSize: Number(m[1]), proof, checkpoint: body.slice(blank + 2) };
}

/**
 * The witness: cosigns a checkpoint only if it extends, by a verified consistency proof, the latest one it
 * cosigned for that log, so it never cosigns a fork or a rollback. Errors are HetaoErrors whose status is the
 * HTTP status tlog-witness prescribes; HETAO_LEDGER_WITNESS_OLD_SIZE carries `details.size` for the 409 body.
 */
export class Witness {
  readonly #opts: WitnessOptions;

  constructor(opts: WitnessOptions) {
    if (opts.signer.type !== SIG_COSIGNATURE_V1)
      throw new HetaoError('HETAO_LEDGER_KEY_INVALID', 'a witness cosigns with a type 0x04 key');
    this.#opts = opts;
  }

  get verifierKey(): string {
    return this.#opts.signer.verifierKey;
  }

  /** Handles one add-checkpoint request body; resolves to the response body (one cosignature line). */
  async addCheckpoint(body: string): Promise<string> {
    const req = parseAddCheckpoint(body);
    const { checkpoint, body: noteBody } = this.#verify(req.checkpoint);
    if (req.oldSize > checkpoint.size)
      throw malformed(`old size ${req.oldSize} is larger than the checkpoint size ${checkpoint.size}`);
    if (req.oldSize === 0 && req.proof.length > 0) throw malformed('the proof must be empty when the old size is 0');
    const { state } = this.#opts;
    const current = await state.get(checkpoint.origin);
    const latest = current?.size ?? 0;
    if (req.oldSize !== latest) throw oldSizeMismatch(latest, req.oldSize);
    const oldRoot = current?.rootHash ?? EMPTY_ROOT;
    if (req.oldSize === checkpoint.size) {
      if (current !== undefined && !bytesEqual(oldRoot, checkpoint.rootHash))
        throw new HetaoError(
          'HETAO_LEDGER_WITNESS_FORK',
          `a different root hash for size ${checkpoint.size} was already cosigned: the log forked`,
        );
    } else if (!verifyConsistency(req.oldSize, checkpoint.size, oldRoot, checkpoint.rootHash, req.proof)) {
      throw new HetaoError(
        'HETAO_LEDGER_WITNESS_BAD_PROOF',
        `the consistency proof from ${req.oldSize} to ${checkpoint.size} does not verify`,
      );
    }
    const next = { size: checkpoint.size, rootHash: checkpoint.rootHash };
    if (!(await state.compareAndSwap(checkpoint.origin, current, next))) {
      const now = await state.get(checkpoint.origin);
      throw oldSizeMismatch(now?.size ?? 0, req.oldSize);
    }
    return cosign(noteBody, this.#opts.signer, Math.floor(this.#opts.clock.now() / 1000));
  }

  #verify(text: string): { checkpoint: Checkpoint; body: string } {
    let origin: string;
    try {
      origin = parseCheckpoint(parseNote(text).body).origin;
    } catch (cause) {
      throw malformed(isHetaoError(cause) ? cause.message : String(cause));
    }
    const log = this.#opts.logs.find((l) => l.origin === origin);
    if (log === undefined)
      throw new HetaoError('HETAO_LEDGER_WITNESS_UNKNOWN_LOG', `this witness does not cosign ${origin}`);
    try {
      const opened = openCheckpoint(text, log.verifiers);
      return { checkpoint: opened.checkpoint, body: opened.note.body };
    } catch (cause) {
      throw new HetaoError('HETAO_LEDGER_WITNESS_BAD_SIGNATURE', `no trusted signature for ${origin} verifies`, {
        cause,
      });
    }
  }
}

/** The HTTP answer for a witness error (c2sp.org/tlog-witness): status, content type and body. */
export function witnessErrorResponse(err: HetaoError): { status: number; contentType: string; body: string } {
  if (err.code === 'HETAO_LEDGER_WITNESS_OLD_SIZE')
    return { status: 409, contentType: 'text/x.tlog.size', body: `${(err.details as { size: number }).size}\n` };
  return { status: err.status, contentType: 'text/plain; charset=utf-8', body: `${err.code}: ${err.message}\n` };
}
