import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { generateSigner, parsePrivateKey, type SignatureType, type Signer } from '../ledger/index.js';

/**
 * Loads the note private key in `file`, or creates it on first use: a fresh key named `name()`, written with mode
 * 0600, exclusively (two processes starting together end up with the same key) and fsynced before use, so a
 * checkpoint is never signed with a key that a crash could lose.
 */
export function loadOrCreateKey(file: string, name: () => string, type: SignatureType): Signer {
  const existing = readKey(file);
  if (existing !== undefined) return existing;
  const signer = generateSigner(name(), type);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKey(file) as Signer;
    throw err;
  }
  try {
    writeSync(fd, `${signer.privateKey()}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return signer;
}

function readKey(file: string): Signer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parsePrivateKey(text);
}
