import { HetaoError } from '../core/index.js';
import { decodeEntry } from './entry-codec.js';
import type { LedgerEntry } from './entry-types.js';
import { fromBase64, type Hash, leafHash, toBase64 } from './hashing.js';
import { verifyInclusion } from './proof-verify.js';
import { checkPolicy, type TrustPolicy } from './witness-policy.js';

/** c2sp.org/tlog-proof@v1: an offline-verifiable inclusion proof of one entry in a (cosigned) checkpoint. */
const HEADER = 'c2sp.org/tlog-proof@v1';

export interface ProofBundle {
  readonly index: number;
  readonly proof: readonly Hash[];
  /** The checkpoint note, verbatim, with its signatures. */
  readonly checkpoint: string;
  /** Unauthenticated extra data; Hetao puts the canonical entry bytes here, which the proof then authenticates. */
  readonly extra?: Uint8Array | undefined;
}

export function buildProofBundle(b: ProofBundle): string {
  const lines = [HEADER];
  if (b.extra !== undefined) lines.push(`extra ${toBase64(b.extra)}`);
  lines.push(`index ${b.index}`, ...b.proof.map(toBase64));
  return `${lines.join('\n')}\n\n${b.checkpoint}`;
}

function malformed(message: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_PROOF_MALFORMED', `tlog-proof: ${message}`);
}

export function parseProofBundle(text: string): ProofBundle {
  const blank = text.indexOf('\n\n');
  if (blank < 0) throw malformed('no blank line before the checkpoint');
  const lines = text.slice(0, blank).split('\n');
  if (lines.shift() !== HEADER) throw malformed(`the first line must be ${HEADER}`);
  let extra: Uint8Array | undefined;
  if (lines[0]?.startsWith('extra ')) {
    extra = fromBase64((lines.shift() as string).slice(6));
    if (extra === undefined) throw malformed('extra is not base64');
  }
  const indexLine = lines.shift() ?? '';
  const m = /^index (0|[1-9][0-9]*)$/.exec(indexLine);
  if (m === null || !Number.isSafeInteger(Number(m[1]))) throw malformed('expected "index <N>" without leading zeros');
  if (lines.length > 63) throw malformed('too many proof hashes');
  const proof = lines.map((l) => {
    const h = fromBase64(l);
    if (h === undefined || h.length !== 32) throw malformed('each proof line must be base64 of a 32-byte hash');
    return h;
  });
  return { index: Number(m[1]), proof, checkpoint: text.slice(blank + 2), extra };
}

export interface CheckedProof {
  readonly index: number;
  readonly entry: LedgerEntry;
  readonly size: number;
  readonly origin: string;
  readonly cosigners: readonly string[];
}

/**
 * Verifies a proof bundle offline: the checkpoint against the policy (log signature and witness quorum), the
 * entry's canonical encoding, and its inclusion at `index`. The entry is `entryBytes` if given, else `extra`.
 */
export function checkProofBundle(text: string, policy: TrustPolicy, entryBytes?: Uint8Array): CheckedProof {
  const b = parseProofBundle(text);
  const bytes = entryBytes ?? b.extra;
  if (bytes === undefined) throw malformed('no entry: pass the entry bytes, or a bundle with extra');
  const { checkpoint, cosigners } = checkPolicy(b.checkpoint, policy);
  if (checkpoint.origin !== policy.log.name)
    throw new HetaoError('HETAO_LEDGER_PROOF_INVALID', `the checkpoint is for ${checkpoint.origin}`);
  const entry = decodeEntry(bytes);
  if (!verifyInclusion(b.index, checkpoint.size, leafHash(bytes), b.proof, checkpoint.rootHash))
    throw new HetaoError(
      'HETAO_LEDGER_PROOF_INVALID',
      `entry ${b.index} is not included in the checkpoint of size ${checkpoint.size} by this proof`,
    );
  return { index: b.index, entry, size: checkpoint.size, origin: checkpoint.origin, cosigners };
}
