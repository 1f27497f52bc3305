import { isId } from '../core/index.js';

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

const field = <T>(check: (v: unknown) => string | undefined): Field<T, false> => ({ optional: false, check });

export function optional<T>(f: Field<T, false>): Field<T, true> {
  return { optional: true, check: f.check };
}

/** A Hetao id (`<prefix>_<26 Crockford base32>`), of the given prefix when one is named. */
export const id = (prefix?: string): Field<string, false> =>
  field((v) =>
    typeof v === 'string' && isId(v, prefix) ? undefined : `must be a ${prefix ?? '<prefix>'}_… id (26 characters)`,
  );

export const oneOf = <const V extends readonly string[]>(values: V): Field<V[number], false> =>
  field((v) => (typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`));

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;
/** A content digest: `sha256:` and 64 lowercase hex digits. */
export const digest = (): Field<string, false> =>
  field((v) =>
    typeof v === 'string' && DIGEST_RE.test(v) ? undefined : 'must be "sha256:" and 64 lowercase hex digits',
  );

/** A non-negative safe integer (counts, bytes). */
export const count = (): Field<number, false> =>
  field((v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'must be a non-negative integer'));

/** Milliseconds since the Unix epoch. */
export const time = (): Field<number, false> =>
  field((v) =>
    Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'must be milliseconds since the epoch (integer)',
  );

const CODE_RE = /^[a-z0-9][a-z0-9._:/-]{0,63}$/;
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
