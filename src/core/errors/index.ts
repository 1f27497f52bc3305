import { apiErrors } from './codes-api.js';
import { cliErrors } from './codes-cli.js';
import { coreErrors } from './codes-core.js';
import { ledgerErrors } from './codes-ledger.js';
import { policyErrors } from './codes-policy.js';
import { registryErrors } from './codes-registry.js';
import { schedulerErrors } from './codes-scheduler.js';
import { sitesErrors } from './codes-sites.js';
import { storeErrors } from './codes-store.js';
import type { ErrorSpec } from './define.js';

export { defineErrors, type ErrorSpec } from './define.js';

/** Codes by area; each area's codes are documented in docs/errors/<area>.md. */
export const errorAreas = {
  core: coreErrors,
  store: storeErrors,
  registry: registryErrors,
  policy: policyErrors,
  ledger: ledgerErrors,
  scheduler: schedulerErrors,
  sites: sitesErrors,
  api: apiErrors,
  cli: cliErrors,
} as const;

/** The one registry of stable error codes. */
export const errorRegistry = Object.freeze({
  ...coreErrors,
  ...storeErrors,
  ...registryErrors,
  ...policyErrors,
  ...ledgerErrors,
  ...schedulerErrors,
  ...sitesErrors,
  ...apiErrors,
  ...cliErrors,
}) as Readonly<Record<ErrorCode, ErrorSpec>>;

type Union<T> = T extends Record<infer K, ErrorSpec> ? K : never;
export type ErrorCode = {
  [A in keyof typeof errorAreas]: Union<(typeof errorAreas)[A]>;
}[keyof typeof errorAreas];

export interface HetaoErrorOptions {
  /** The input field at fault, as a dotted path (`data.classification`, `resources.gpus`). */
  readonly field?: string;
  /** What caused it; kept, never swallowed. */
  readonly cause?: unknown;
  /** Structured detail for machines (for example every invalid config key). */
  readonly details?: unknown;
}

/** The one error type Hetao throws on purpose. `message` says what is wrong and how to fix it. */
export class HetaoError extends Error {
  override readonly name = 'HetaoError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: HetaoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = errorRegistry[code]?.status ?? 500;
    this.field = options.field;
    this.details = options.details;
  }

  /** The JSON an API answers with: `{code, message, field?}`. */
  toJSON(): { code: ErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function isHetaoError(err: unknown): err is HetaoError {
  return err instanceof HetaoError;
}
