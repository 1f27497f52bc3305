import { HetaoError } from '../core/index.js';
import { SIG_COSIGNATURE_V1, type Signer } from './note-keys.js';

/** The message a cosignature/v1 signs: header, time line, then the checkpoint note body (c2sp.org/tlog-cosignature). */
export function cosignatureMessage(body: string, timestamp: number): string {
  return `cosignature/v1\ntime ${timestamp}\n${body}`;
}

/**
 * A timestamped cosignature line over a checkpoint body: `— <name> base64(key id || u64 BE time || signature)`.
 * `timestamp` is POSIX seconds.
 */
export function cosign(body: string, signer: Signer, timestamp: number): string {
  if (signer.type !== SIG_COSIGNATURE_V1)
    throw new HetaoError('HETAO_LEDGER_KEY_INVALID', `cosigning needs a type 0x04 key (${signer.name} is not one)`);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('timestamp must be POSIX seconds');
  const sig = signer.sign(new TextEncoder().encode(cosignatureMessage(body, timestamp)));
  const blob = new Uint8Array(4 + 8 + sig.length);
  const view = new DataView(blob.buffer);
  view.setUint32(0, signer.keyId);
  view.setBigUint64(4, BigInt(timestamp));
  blob.set(sig, 12);
  return `\u2014 ${signer.name} ${Buffer.from(blob).toString('base64')}\n`;
}
