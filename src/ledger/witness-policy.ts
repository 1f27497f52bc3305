import { HetaoError } from '../core/index.js';
import { type OpenedCheckpoint, openCheckpoint } from './checkpoint.js';
import { openNote, parseNote, parseSignatureLine } from './note.js';
import { parseVerifierKey, SIG_COSIGNATURE_V1, SIG_ED25519, type Verifier } from './note-keys.js';

/**
 * Whom a reader of the ledger trusts: the log's key, the witnesses' cosignature keys (type 0x04) and how many
 * distinct witnesses must have cosigned (e.g. 2 of 2: the Shenzhen and Hong Kong regulators).
 */
export interface TrustPolicy {
  readonly log: Verifier;
  readonly witnesses: readonly Verifier[];
  readonly quorum: number;
}

/** A policy from verifier key strings; the quorum defaults to every witness. */
export function trustPolicy(logKey: string, witnessKeys: readonly string[] = [], quorum?: number): TrustPolicy {
  const log = parseVerifierKey(logKey);
  if (log.type !== SIG_ED25519) throw new HetaoError('HETAO_LEDGER_KEY_INVALID', 'the log key must be type 0x01');
  const witnesses = witnessKeys.map(parseVerifierKey);
  if (witnesses.some((w) => w.type !== SIG_COSIGNATURE_V1))
    throw new HetaoError('HETAO_LEDGER_KEY_INVALID', 'witness keys must be cosignature keys (type 0x04)');
  const q = quorum ?? witnesses.length;
  if (!Number.isInteger(q) || q < 0 || q > witnesses.length)
    throw new HetaoError('HETAO_LEDGER_KEY_INVALID', `the quorum must be 0..${witnesses.length} (got ${q})`);
  return Object.freeze({ log, witnesses: Object.freeze(witnesses), quorum: q });
}

export interface PolicyResult extends OpenedCheckpoint {
  /** Names of the distinct witnesses whose cosignatures verified. */
  readonly cosigners: readonly string[];
  readonly met: boolean;
}

/** Verifies the log's signature (required) and counts valid witness cosignatures; throws if the log's fails. */
export function evaluatePolicy(text: string, policy: TrustPolicy): PolicyResult {
  const opened = openCheckpoint(text, [policy.log, ...policy.witnesses]);
  if (!opened.verified.some((s) => s.verifier === policy.log))
    throw new HetaoError('HETAO_LEDGER_NOTE_UNVERIFIED', `the checkpoint is not signed by the log ${policy.log.name}`);
  const cosigners = [...new Set(opened.verified.filter((s) => s.verifier !== policy.log).map((s) => s.verifier.name))];
  return { ...opened, cosigners, met: cosigners.length >= policy.quorum };
}

/** evaluatePolicy, throwing HETAO_LEDGER_POLICY_NOT_MET below quorum. */
export function checkPolicy(text: string, policy: TrustPolicy): PolicyResult {
  const r = evaluatePolicy(text, policy);
  if (!r.met)
    throw new HetaoError(
      'HETAO_LEDGER_POLICY_NOT_MET',
      `the checkpoint has ${r.cosigners.length} of the ${policy.quorum} witness cosignatures required` +
        ` (cosigned by: ${r.cosigners.join(', ') || 'none'})`,
    );
  return r;
}

/**
 * Adds witnesses' add-checkpoint responses (signature lines) to a signed checkpoint. Lines from keys outside the
 * policy, lines that do not verify, and second lines from a witness already present are dropped, so the result
 * carries only valid cosignatures. `met` tells whether the result satisfies the policy.
 */
export function mergeCosignatures(
  signedCheckpoint: string,
  responses: readonly string[],
  policy: TrustPolicy,
): { text: string; met: boolean; cosigners: readonly string[] } {
  const note = parseNote(signedCheckpoint);
  const lines = note.signatures.map((s) => s.line);
  const present = new Set(note.signatures.map((s) => `${s.name}+${s.keyId}`));
  for (const response of responses) {
    for (const raw of response.split('\n')) {
      if (raw.length === 0) continue;
      let sig: ReturnType<typeof parseSignatureLine>;
      try {
        sig = parseSignatureLine(`${raw}\n`);
      } catch {
        continue; // a malformed response line is not a cosignature; the policy count says what is missing
      }
      const key = `${sig.name}+${sig.keyId}`;
      const witness = policy.witnesses.find((w) => w.name === sig.name && w.keyId === sig.keyId);
      if (present.has(key) || witness === undefined) continue;
      try {
        openNote(`${note.body}\n${sig.line}`, [witness]);
      } catch {
        continue;
      }
      lines.push(sig.line);
      present.add(key);
    }
  }
  const text = `${note.body}\n${lines.join('')}`;
  const r = evaluatePolicy(text, policy);
  return { text, met: r.met, cosigners: r.cosigners };
}
