/**
 * Idempotency keys (the `Idempotency-Key` request header of the IETF HTTPAPI draft): a client that retries a POST
 * or PATCH with the same key gets the first answer again instead of a second change. Keys are scoped to the
 * account that sent them and kept for IDEMPOTENCY_KEEP_MS.
 */

/** How long a key and its answer are kept, ms (a day). */
export const IDEMPOTENCY_KEEP_MS = 24 * 3_600_000;

/** The answer a key was first given. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

/**
 * What claiming a key found:
 * - `claimed`: the key is new (or had expired); the request runs, and its answer is then stored or released;
 * - `answered`: the same request was answered before; here is the answer;
 * - `mismatch`: the key was used for a different request (method, path or body);
 * - `in-flight`: the same request is being handled now, by this process;
 * - `unknown`: an exchange process that has since stopped was handling it; whether it took effect is unknown.
 */
export type KeyClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'answered'; readonly answer: StoredAnswer }
  | { readonly kind: 'mismatch' }
  | { readonly kind: 'in-flight'; readonly since: number }
  | { readonly kind: 'unknown'; readonly since: number };

export interface IdempotencyStore {
  /**
   * Claims `key` for `accountId` and the request whose `fingerprint` (method, path, body digest) is given, for the
   * process `owner`, atomically: of two claims of one key exactly one is `claimed`. Keys older than `now -
   * IDEMPOTENCY_KEEP_MS` count as new.
   */
  claimKey(accountId: string, key: string, fingerprint: string, owner: string, now: number): Promise<KeyClaim>;
  /** Stores the answer of a claimed key. */
  answerKey(accountId: string, key: string, answer: StoredAnswer): Promise<void>;
  /** Forgets a claimed key whose request failed in a way a retry may fix (a 5xx), so a retry runs again. */
  releaseKey(accountId: string, key: string): Promise<void>;
}
