import { HetaoError } from './errors/index.js';

/**
 * Sortable ids: `<prefix>_<26 Crockford base32 chars>`, 48 bits of milliseconds then 80 random bits (ULID layout).
 * Ids made by one generator in the same millisecond increase monotonically, so sorting by id sorts by creation.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_RE = /^[a-z][a-z0-9]{1,11}_[0-9A-HJKMNP-TV-Z]{26}$/;

export type IdPrefix = string;

export interface IdGenerator {
  next(prefix: IdPrefix): string;
}

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** Random source is injectable so tests and the simulator are deterministic. */
export function createIdGenerator(
  now: () => number,
  random: (bytes: Uint8Array) => void = (b) => globalThis.crypto.getRandomValues(b),
): IdGenerator {
  let lastMs = -1;
  const rand = new Uint8Array(16); // 16 base32 chars of 5 bits each, one byte apiece
  return {
    next(prefix: IdPrefix): string {
      const ms = Math.max(now(), lastMs);
      if (ms === lastMs) {
        // increment the random part, so ids stay ordered within one millisecond
        let i = 15;
        while (i >= 0) {
          rand[i] = ((rand[i] ?? 0) + 1) & 31;
          if (rand[i] !== 0) break;
          i--;
        }
      } else {
        random(rand);
        for (let i = 0; i < 16; i++) rand[i] = (rand[i] ?? 0) & 31;
        lastMs = ms;
      }
      let r = '';
      for (let i = 0; i < 16; i++) r += ALPHABET[rand[i] ?? 0];
      return `${prefix}_${encodeTime(ms)}${r}`;
    },
  };
}

export function isId(value: string, prefix?: IdPrefix): boolean {
  return ID_RE.test(value) && (prefix === undefined || value.startsWith(`${prefix}_`));
}

export function assertId(value: string, prefix: IdPrefix, field: string): string {
  if (!isId(value, prefix)) {
    throw new HetaoError('HETAO_ID_INVALID', `${field} must be a ${prefix}_… id (got ${JSON.stringify(value)})`, {
      field,
    });
  }
  return value;
}

/** The creation time encoded in an id. */
export function idTime(id: string): number {
  const body = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
  let t = 0;
  for (const ch of body) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}
