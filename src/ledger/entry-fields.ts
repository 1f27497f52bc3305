/**
 * The field kinds a ledger entry may hold. There is deliberately no free-text kind: ids, enums, digests, counts,
 * times, dotted names and short printable codes only, so personal data and dataset contents cannot be logged.
 */
export interface Field<T, O extends boolean = boolean> {
  readonly optional: O;
  /** Error text when the value is wrong, or undefined when it is valid. */
  check(value: unknown): string | undefined;
  readonly _type?: T;
}

const CODE_RE = /^[a-z0-9][a-z0-9._:/-]{0,63}$/;

const field = <T>(check: (v: unknown) => string | undefined): Field<T, false> => ({ optional: false, check });

export function optional<T>(f: Field<T, false>): Field<T, true> {
  return { optional: true, check: f.check };
}

/**
 * An id: `<prefix>_<1..40 letters or digits>`, of the given prefix when one is named. Hetao's own ids are
 * `<prefix>_<26 Crockford base32>` (core/ids.ts); the ledger is tolerant of shorter forms (fixtures, imported
 * ids) but still admits no spaces or punctuation, so no free text fits.
 */
const ID_RE = /^[a-z][a-z0-9]{1,11}_[0-9A-Za-z]{1,40}$/;
const isLedgerId = (v: unknown, prefix?: string): v is string =>
  typeof v === 'string' && ID_RE.test(v) && (prefix === undefined || v.startsWith(`${prefix}_`));
export const id = (prefix?: string): Field<string, false> =>
  field((v) => (isLedgerId(v, prefix) ? undefined : `must be a ${prefix ?? '<prefix>'}_… id`));

/** An id (see `id`) or a code (see `code`): registry objects keyed by name, e.g. data types `logistics.x`. */
export const idOrCode = (): Field<string, false> =>
  field((v) =>
    isLedgerId(v) || (typeof v === 'string' && CODE_RE.test(v)) ? undefined : 'must be an id or a lowercase code',
  );

export const oneOf = <const V extends readonly string[]>(values: V): Field<V[number], false> =>
  field((v) => (typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`));

const DIGEST_RE = /^(sha256:)?[0-9a-f]{64}$/;
/**
 * A SHA-256 content digest: 64 lowercase hex digits, optionally prefixed `sha256:` (the registry stores bare hex;
 * the value is logged as given, and one value still has exactly one encoding).
 */
export const digest = (): Field<string, false> =>
  field((v) =>
    typeof v === 'string' && DIGEST_RE.test(v)
      ? undefined
      : 'must be 64 lowercase hex digits of SHA-256, optionally prefixed "sha256:"',
  );

/** A non-negative safe integer (counts, bytes). */
export const count = (): Field<number, false> =>
  field((v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'must be a non-negative integer'));

/** Milliseconds since the Unix epoch. */
export const time = (): Field<number, false> =>
  field((v) =>
    Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'must be milliseconds since the epoch (integer)',
  );

/** A short machine code: rule ids, versions, reasons (`quota-exceeded`), data-type names. Max 64 characters. */
export const code = (): Field<string, false> =>
  field((v) =>
    typeof v === 'string' && CODE_RE.test(v)
      ? undefined
      : 'must be a lowercase code of at most 64 characters (a-z 0-9 . _ : / -)',
  );

export type FieldsOf<S extends Record<string, Field<unknown>>> = {
  readonly [K in keyof S as S[K]['optional'] extends true ? never : K]: S[K] extends Field<infer T> ? T : never;
} & {
  readonly [K in keyof S as S[K]['optional'] extends true ? K : never]?: S[K] extends Field<infer T> ? T : never;
};
