/**
 * An error code's registry entry. `status` is the HTTP status an API answers with; `summary` says what went
 * wrong in general terms and `fix` says what the caller should do. Every code also has a section in
 * docs/errors/<area>.md (a test keeps the two in sync).
 */
export interface ErrorSpec {
  readonly status: number;
  readonly summary: string;
  readonly fix: string;
}

/** Declares one area's codes; keeps literal keys so `ErrorCode` is a union of exact strings. */
export function defineErrors<const T extends Record<`HETAO_${string}`, ErrorSpec>>(area: string, codes: T): T {
  for (const code of Object.keys(codes)) {
    if (!/^HETAO_[A-Z0-9_]+$/.test(code))
      throw new Error(`error code ${code} in area ${area} is not HETAO_UPPER_SNAKE`);
  }
  return Object.freeze(codes);
}
