import type { InclusionProof, LedgerEntryItem } from '../api/types';
import { equalBytes, hashFromText } from './bytes';
import { canonicalEntry, leafHash, rootFromInclusionProof } from './merkle';
import type { VerifierKey } from './note-keys';
import { parseCheckpointBody, type SignatureResult, verifyNote } from './signed-note';

export interface EntryVerification {
  /** SHA-256(0x00 || canonical entry) equals the leaf hash the proof is for. */
  readonly leafMatches: boolean;
  /** The proof leads from that leaf to the checkpoint's root hash. */
  readonly rootMatches: boolean;
  readonly checkpointSize: number;
  readonly signatures: readonly SignatureResult[];
  /** At least one signature from a pinned key verified and none from a pinned key failed. */
  readonly signed: boolean;
  readonly ok: boolean;
}

/** Verifies one entry end to end in the browser: its bytes, its inclusion proof and the checkpoint's signatures. */
export async function verifyEntry(
  item: LedgerEntryItem,
  proof: InclusionProof,
  keys: readonly VerifierKey[],
): Promise<EntryVerification> {
  const computed = await leafHash(canonicalEntry(item.entry));
  const claimed = hashFromText(proof.leafHash);
  const leafMatches = claimed !== undefined && equalBytes(computed, claimed);
  const { note, results } = await verifyNote(proof.checkpoint, keys);
  const cp = parseCheckpointBody(note.body);
  const path = proof.proof.map((p) => hashFromText(p));
  const root = path.every((p) => p !== undefined)
    ? await rootFromInclusionProof(proof.index, cp.size, computed, path as Uint8Array[])
    : undefined;
  const rootMatches = root !== undefined && equalBytes(root, cp.root) && proof.index === item.index;
  const signed = results.some((r) => r.status === 'verified') && !results.some((r) => r.status === 'failed');
  return {
    leafMatches,
    rootMatches,
    checkpointSize: cp.size,
    signatures: results,
    signed,
    ok: leafMatches && rootMatches && signed,
  };
}
