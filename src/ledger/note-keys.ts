import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { HetaoError } from '../core/index.js';
import { fromBase64, sha256, toBase64 } from './hashing.js';

/**
 * Note keys (c2sp.org/signed-note). Type 0x01 signs notes with Ed25519 (the exchange's checkpoints); type 0x04
 * makes timestamped cosignatures (c2sp.org/tlog-cosignature; the witnesses). Both are Ed25519 keys; the type byte
 * enters the key id, so one key pair cannot be confused across the two uses.
 */
export const SIG_ED25519 = 0x01;
export const SIG_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIG_ED25519 | typeof SIG_COSIGNATURE_V1;

export interface Signer {
  readonly name: string;
  readonly type: SignatureType;
  /** key ID = SHA-256(name || 0x0A || type || public key)[:4], big-endian uint32. */
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  /** Raw Ed25519 signature (64 bytes) over `message`. */
  sign(message: Uint8Array): Uint8Array;
  /** The verifier key string: `<name>+<hex8 key id>+<base64(type || public key)>`. */
  readonly verifierKey: string;
  /** `PRIVATE+KEY+<name>+<hex8 key id>+<base64(type || 32-byte seed)>`: what $HETAO_HOME stores. Keep it secret. */
  privateKey(): string;
}

export interface Verifier {
  readonly name: string;
  readonly type: SignatureType;
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

function keyError(message: string, cause?: unknown): HetaoError {
  return new HetaoError('HETAO_LEDGER_KEY_INVALID', message, cause === undefined ? {} : { cause });
}

/** Key names: non-empty, no Unicode spaces, no '+' (signed-note), no control characters. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\p{Cc}\p{Zs}]/u.test(name);
}

export function computeKeyId(name: string, type: SignatureType, publicKey: Uint8Array): number {
  const nameBytes = Buffer.from(name, 'utf8');
  const h = sha256(Buffer.concat([nameBytes, Buffer.from([0x0a, type]), publicKey]));
  return ((h[0] as number) * 2 ** 24 + ((h[1] as number) << 16) + ((h[2] as number) << 8) + (h[3] as number)) >>> 0;
}

const hex8 = (id: number): string => id.toString(16).padStart(8, '0');

function checkType(t: number | undefined): SignatureType {
  if (t !== SIG_ED25519 && t !== SIG_COSIGNATURE_V1)
    throw keyError(`key type must be 0x01 (Ed25519) or 0x04 (cosignature/v1), got ${t}`);
  return t;
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: 'der', type: 'spki' });
  } catch (cause) {
    throw keyError('not an Ed25519 public key', cause);
  }
}

function makeVerifier(name: string, type: SignatureType, publicKey: Uint8Array): Verifier {
  const key = publicKeyObject(publicKey);
  return Object.freeze({
    name,
    type,
    keyId: computeKeyId(name, type, publicKey),
    publicKey,
    verify: (message: Uint8Array, signature: Uint8Array) =>
      signature.length === 64 && verify(null, message, key, signature),
  });
}

/** A signer from its 32-byte Ed25519 seed. */
export function signerFromSeed(name: string, seed: Uint8Array, type: SignatureType = SIG_ED25519): Signer {
  if (!isValidKeyName(name))
    throw keyError(`key name must be non-empty, without spaces or "+" (got ${JSON.stringify(name)})`);
  if (seed.length !== 32) throw keyError(`an Ed25519 seed is 32 bytes (got ${seed.length})`);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = new Uint8Array(createPublicKey(priv).export({ format: 'der', type: 'spki' }).subarray(12));
  const keyId = computeKeyId(name, type, publicKey);
  const seedCopy = Uint8Array.from(seed);
  return Object.freeze({
    name,
    type,
    keyId,
    publicKey,
    sign: (message: Uint8Array) => new Uint8Array(sign(null, message, priv)),
    verifierKey: `${name}+${hex8(keyId)}+${toBase64(Uint8Array.of(type, ...publicKey))}`,
    privateKey: () => `PRIVATE+KEY+${name}+${hex8(keyId)}+${toBase64(Uint8Array.of(type, ...seedCopy))}`,
  });
}

/** A fresh signer: type 0x01 for a log, 0x04 for a witness. */
export function generateSigner(name: string, type: SignatureType = SIG_ED25519): Signer {
  return signerFromSeed(name, randomBytes(32), type);
}

function splitKey(s: string, parts: number, what: string): string[] {
  // The last part is base64, which may itself contain '+'.
  const p = s.split('+');
  if (p.length < parts) throw keyError(`a ${what} has ${parts} "+"-separated parts`);
  return [...p.slice(0, parts - 1), p.slice(parts - 1).join('+')];
}

function decodeKeyMaterial(name: string, idHex: string, b64: string): { type: SignatureType; raw: Uint8Array } {
  if (!isValidKeyName(name))
    throw keyError(`key name must be non-empty, without spaces or "+" (got ${JSON.stringify(name)})`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw keyError('the key id must be 8 lowercase hex digits');
  const bytes = fromBase64(b64);
  if (bytes === undefined || bytes.length !== 33) throw keyError('the key must be base64 of a type byte and 32 bytes');
  return { type: checkType(bytes[0]), raw: bytes.subarray(1) };
}

/** Parses `<name>+<hex8 key id>+<base64(type || public key)>`; the key id must match. */
export function parseVerifierKey(vkey: string): Verifier {
  const [name, idHex, b64] = splitKey(vkey.trim(), 3, 'verifier key') as [string, string, string];
  const { type, raw } = decodeKeyMaterial(name, idHex, b64);
  const v = makeVerifier(name, type, Uint8Array.from(raw));
  if (hex8(v.keyId) !== idHex) throw keyError(`the key id ${idHex} does not match the key (expected ${hex8(v.keyId)})`);
  return v;
}

/** Parses the private key string `Signer.privateKey()` wrote. */
export function parsePrivateKey(skey: string): Signer {
  const [p, k, name, idHex, b64] = splitKey(skey.trim(), 5, 'private key') as [string, string, string, string, string];
  if (p !== 'PRIVATE' || k !== 'KEY') throw keyError('a private key starts with PRIVATE+KEY+');
  const { type, raw } = decodeKeyMaterial(name, idHex, b64);
  const signer = signerFromSeed(name, raw, type);
  if (hex8(signer.keyId) !== idHex) throw keyError(`the key id ${idHex} does not match the key`);
  return signer;
}

export function verifierOf(signer: Signer): Verifier {
  return makeVerifier(signer.name, signer.type, signer.publicKey);
}
