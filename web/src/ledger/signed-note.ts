import { fromBase64, utf8 } from './bytes';
import { ed25519Verify, KEY_COSIGNATURE_V1, type VerifierKey } from './note-keys';

/** One signature line: `— <name> <base64(4-byte key id || signature bytes)>`. */
export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly blob: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, ending in a newline (without the blank separator line). */
  readonly body: string;
  readonly signatures: readonly NoteSignature[];
}

export type SignatureStatus = 'verified' | 'failed' | 'untrusted';

export interface SignatureResult {
  readonly name: string;
  readonly keyId: number;
  readonly kind: 'signature' | 'cosignature' | 'unknown';
  readonly status: SignatureStatus;
  /** cosignature/v1 time, POSIX seconds. */
  readonly timestamp?: number;
}

export function parseNote(text: string): ParsedNote {
  const split = text.lastIndexOf('\n\n');
  if (split < 0 || !text.endsWith('\n')) throw new Error('not a signed note (no blank line before the signatures)');
  const body = text.slice(0, split + 1);
  const signatures = text
    .slice(split + 2, -1)
    .split('\n')
    .map((line) => {
      const m = /^\u2014 (\S+) (\S+)$/.exec(line);
      const blob = m ? fromBase64(m[2] as string) : undefined;
      if (!m || !blob || blob.length < 5) throw new Error(`bad signature line: ${line.slice(0, 60)}`);
      return { name: m[1] as string, keyId: new DataView(blob.buffer).getUint32(0), blob: blob.subarray(4) };
    });
  return { body, signatures };
}

/** The checkpoint body: origin, tree size, base64 root hash (c2sp.org/tlog-checkpoint). */
export function parseCheckpointBody(body: string): { origin: string; size: number; root: Uint8Array } {
  const [origin = '', sizeLine = '', rootLine = ''] = body.split('\n');
  const root = fromBase64(rootLine);
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(sizeLine) || root?.length !== 32) throw new Error('malformed checkpoint');
  return { origin, size: Number(sizeLine), root };
}

async function verifyOne(body: string, sig: NoteSignature, key: VerifierKey): Promise<SignatureResult> {
  const base = { name: sig.name, keyId: sig.keyId };
  if (key.type === KEY_COSIGNATURE_V1) {
    if (sig.blob.length !== 72) return { ...base, kind: 'cosignature', status: 'failed' };
    const ts = new DataView(sig.blob.buffer, sig.blob.byteOffset).getBigUint64(0);
    const message = utf8.encode(`cosignature/v1\ntime ${ts}\n${body}`);
    const ok = await ed25519Verify(key.publicKey, sig.blob.subarray(8), message);
    return { ...base, kind: 'cosignature', status: ok ? 'verified' : 'failed', timestamp: Number(ts) };
  }
  const ok = sig.blob.length === 64 && (await ed25519Verify(key.publicKey, sig.blob, utf8.encode(body)));
  return { ...base, kind: 'signature', status: ok ? 'verified' : 'failed' };
}

/** Checks every signature on the note against the pinned keys (name and key id must both match to count). */
export async function verifyNote(
  text: string,
  keys: readonly VerifierKey[],
): Promise<{ note: ParsedNote; results: SignatureResult[] }> {
  const note = parseNote(text);
  const results: SignatureResult[] = [];
  for (const sig of note.signatures) {
    const key = keys.find((k) => k.name === sig.name && k.keyId === sig.keyId);
    results.push(
      key
        ? await verifyOne(note.body, sig, key)
        : { name: sig.name, keyId: sig.keyId, kind: 'unknown', status: 'untrusted' },
    );
  }
  return { note, results };
}
