import { concat, fromBase64, sha256, utf8 } from './bytes';

/** c2sp.org/signed-note key types: 0x01 Ed25519 note signatures (the exchange), 0x04 cosignature/v1 (witnesses). */
export const KEY_ED25519 = 0x01;
export const KEY_COSIGNATURE_V1 = 0x04;

export interface VerifierKey {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Uint8Array;
  /** The key string as pinned: `<name>+<hex8 key id>+<base64(type || public key)>`. */
  readonly text: string;
}

/** key ID = first 4 bytes (big-endian) of SHA-256(name || 0x0A || type || public key). */
export async function computeKeyId(name: string, type: number, publicKey: Uint8Array): Promise<number> {
  const h = await sha256(concat(utf8.encode(name), Uint8Array.of(0x0a, type), publicKey));
  return new DataView(h.buffer, h.byteOffset).getUint32(0);
}

/** Parses and checks a verifier key string; throws an Error saying what is wrong. */
export async function parseVerifierKey(text: string): Promise<VerifierKey> {
  const s = text.trim();
  const first = s.indexOf('+');
  const second = s.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new Error('a verifier key is <name>+<key id>+<base64 key>');
  const name = s.slice(0, first);
  const idHex = s.slice(first + 1, second);
  const material = fromBase64(s.slice(second + 1));
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error('the key id must be 8 lowercase hex digits');
  if (material === undefined || material.length !== 33) throw new Error('the key must be base64 of 33 bytes');
  const type = material[0] as number;
  if (type !== KEY_ED25519 && type !== KEY_COSIGNATURE_V1)
    throw new Error(`unsupported key type 0x${type.toString(16)}`);
  const publicKey = material.subarray(1);
  const keyId = await computeKeyId(name, type, publicKey);
  if (keyId !== Number.parseInt(idHex, 16)) throw new Error('the key id does not match the key');
  return { name, keyId, type, publicKey, text: s };
}

export async function ed25519Verify(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', concat(publicKey), { name: 'Ed25519' }, false, ['verify']);
  return crypto.subtle.verify({ name: 'Ed25519' }, key, concat(signature), concat(message));
}
