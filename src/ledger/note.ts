import { HetaoError } from '../core/index.js';
import { cosignatureMessage } from './cosignature.js';
import { fromBase64, toBase64 } from './hashing.js';
import { isValidKeyName, SIG_COSIGNATURE_V1, type Signer, type Verifier } from './note-keys.js';

/** One signature line of a note: `— <name> base64(key id || signature)`. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The bytes after the key id (for cosignature/v1: 8-byte timestamp || Ed25519 signature). */
  readonly signature: Uint8Array;
  /** The line as it appeared, with its newline. */
  readonly line: string;
}

export interface Note {
  /** The note text, ending in a newline, without the blank separator line. */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

export interface VerifiedSignature extends NoteSignature {
  readonly verifier: Verifier;
  /** POSIX seconds, for cosignature/v1 signatures. */
  readonly timestamp?: number;
}

/** Beyond signed-note's floor of 16; bounds work on hostile input. */
export const MAX_NOTE_SIGNATURES = 64;
const MAX_NOTE_BYTES = 1 << 20;
const EM_DASH = '\u2014';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function malformed(message: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_NOTE_MALFORMED', message);
}

export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  const blob = new Uint8Array(4 + signature.length);
  new DataView(blob.buffer).setUint32(0, keyId);
  blob.set(signature, 4);
  return `${EM_DASH} ${name} ${toBase64(blob)}\n`;
}

export function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(`${EM_DASH} `) || !line.endsWith('\n'))
    throw malformed('a signature line is "— <name> <base64>"');
  const rest = line.slice(2, -1);
  const sp = rest.indexOf(' ');
  const name = rest.slice(0, sp);
  const blob = sp < 0 ? undefined : fromBase64(rest.slice(sp + 1));
  if (sp < 0 || !isValidKeyName(name) || blob === undefined || blob.length < 5)
    throw malformed(`bad signature line ${JSON.stringify(line.slice(0, 80))}`);
  const keyId = new DataView(blob.buffer, blob.byteOffset).getUint32(0);
  return { name, keyId, signature: blob.subarray(4), line };
}

/** Parses a signed note (c2sp.org/signed-note) without verifying it. */
export function parseNote(text: string): Note {
  if (text.length > MAX_NOTE_BYTES) throw malformed('the note is too large');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec forbids exactly these characters
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('a note must not contain control characters');
  if (LONE_SURROGATE.test(text)) throw malformed('a note must be valid UTF-8');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw malformed('a note needs a blank line between its text and its signatures');
  const body = text.slice(0, split + 1);
  const sigText = text.slice(split + 2);
  if (!sigText.endsWith('\n')) throw malformed('a note must end with a newline after its last signature');
  const lines = sigText.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) throw malformed(`a note may carry at most ${MAX_NOTE_SIGNATURES} signatures`);
  return { body, signatures: lines.map((l) => parseSignatureLine(`${l}\n`)) };
}

const utf8 = new TextEncoder();

/** Signs a note body (which must end in a newline) with Ed25519 note keys (type 0x01). */
export function signNote(body: string, signers: readonly Signer[]): string {
  if (!body.endsWith('\n')) throw malformed('a note text must end with a newline');
  const msg = utf8.encode(body);
  return `${body}\n${signers.map((s) => signatureLine(s.name, s.keyId, s.sign(msg))).join('')}`;
}

function verifyOne(body: string, sig: NoteSignature, v: Verifier): VerifiedSignature | undefined {
  if (v.type === SIG_COSIGNATURE_V1) {
    if (sig.signature.length !== 8 + 64) return undefined;
    const ts = new DataView(sig.signature.buffer, sig.signature.byteOffset).getBigUint64(0);
    if (ts >= 2n ** 63n) return undefined;
    const timestamp = Number(ts);
    const ok = v.verify(utf8.encode(cosignatureMessage(body, timestamp)), sig.signature.subarray(8));
    return ok ? { ...sig, verifier: v, timestamp } : undefined;
  }
  return v.verify(utf8.encode(body), sig.signature) ? { ...sig, verifier: v } : undefined;
}

/**
 * Verifies a note against trusted keys, per signed-note: signatures from unknown keys (name and id not both
 * matching) are ignored; a failing signature from a known key rejects the note; at least one must verify.
 */
export function openNote(text: string, verifiers: readonly Verifier[]): { note: Note; verified: VerifiedSignature[] } {
  const note = parseNote(text);
  const verified: VerifiedSignature[] = [];
  for (const sig of note.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    if (v === undefined) continue;
    const ok = verifyOne(note.body, sig, v);
    if (ok === undefined)
      throw new HetaoError('HETAO_LEDGER_NOTE_UNVERIFIED', `the signature by ${sig.name} does not verify`);
    verified.push(ok);
  }
  if (verified.length === 0)
    throw new HetaoError('HETAO_LEDGER_NOTE_UNVERIFIED', 'no signature on the note is from a trusted key');
  return { note, verified };
}
