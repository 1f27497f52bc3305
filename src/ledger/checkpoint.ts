import { HetaoError } from '../core/index.js';
import { fromBase64, type Hash, toBase64 } from './hashing.js';
import { type Note, openNote, type VerifiedSignature } from './note.js';
import type { Verifier } from './note-keys.js';

/** A checkpoint's note text (c2sp.org/tlog-checkpoint): origin, tree size, root hash, optional extension lines. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Hash;
  readonly extensions: readonly string[];
}

function malformed(message: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_NOTE_MALFORMED', `checkpoint: ${message}`);
}

export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes('\n')) throw malformed('the origin must be one non-empty line');
  if (c.extensions.some((e) => e.length === 0 || e.includes('\n')))
    throw malformed('extension lines must be non-empty single lines');
  return [c.origin, String(c.size), toBase64(c.rootHash), ...c.extensions].map((l) => `${l}\n`).join('');
}

/** Parses a checkpoint note body (the text before the signatures). */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw malformed('the text must end with a newline');
  const lines = body.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('needs an origin, a tree size and a root hash line');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw malformed('the origin line is empty');
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine)))
    throw malformed(`the tree size must be a decimal without leading zeros (got ${JSON.stringify(sizeLine)})`);
  const rootHash = fromBase64(rootLine);
  if (rootHash === undefined || rootHash.length !== 32) throw malformed('the root hash must be base64 of 32 bytes');
  if (extensions.some((e) => e.length === 0)) throw malformed('extension lines must be non-empty');
  return Object.freeze({ origin, size: Number(sizeLine), rootHash, extensions: Object.freeze(extensions) });
}

export interface OpenedCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly note: Note;
  readonly verified: readonly VerifiedSignature[];
}

/** Verifies a signed checkpoint against trusted keys (see openNote) and parses its body. */
export function openCheckpoint(text: string, verifiers: readonly Verifier[]): OpenedCheckpoint {
  const { note, verified } = openNote(text, verifiers);
  return { checkpoint: parseCheckpoint(note.body), note, verified };
}
