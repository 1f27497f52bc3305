import { createHash, randomBytes } from 'node:crypto';

/** Bearer tokens: `hto_` + 32 random bytes (base64url). High entropy, so a plain SHA-256 is a safe stored form. */
export function newToken(): string {
  return `hto_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
