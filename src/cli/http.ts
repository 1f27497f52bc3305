import { randomUUID } from 'node:crypto';
import { HetaoError } from '../core/index.js';

export interface ExchangeTarget {
  readonly exchange: string;
  readonly token: string | undefined;
}

/** Where the CLI talks to: --exchange / HETAO_EXCHANGE (default http://127.0.0.1:8080), --token / HETAO_TOKEN. */
export function targetFrom(
  opts: { exchange?: string; token?: string },
  env: NodeJS.ProcessEnv = process.env,
): ExchangeTarget {
  return {
    exchange: (opts.exchange ?? env.HETAO_EXCHANGE ?? 'http://127.0.0.1:8080').replace(/\/$/, ''),
    token: opts.token ?? env.HETAO_TOKEN,
  };
}

export interface CallOptions {
  /** The body's media type (default application/json). */
  readonly contentType?: string;
  /** The change's Idempotency-Key (default: a fresh one per call); a script that reruns can pass a stable one. */
  readonly idempotencyKey?: string;
  /** Waits before each retry, ms. */
  readonly delays?: readonly number[];
}

/** Waits before each retry of a change, ms: four tries in all, over about 3.5 s. */
export const RETRY_DELAYS_MS: readonly number[] = [500, 1_000, 2_000];

/** Whether the connection broke after the request may have reached the exchange (not a refused connection). */
function brokeMidway(cause: unknown): boolean {
  const code = (cause as { cause?: { code?: string } })?.cause?.code ?? '';
  return ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code);
}

/**
 * One API call. Errors from the exchange keep their code and field (so the CLI prints `CODE: message` and exits 2
 * for a 4xx); an unreachable exchange is HETAO_CLI_UNREACHABLE. A POST or PATCH carries an Idempotency-Key, so it
 * is retried safely, with the same key, when the connection breaks mid-request, the exchange is restarting (503) or
 * the first try is still being handled (409 HETAO_API_IDEMPOTENCY_IN_FLIGHT): it takes effect at most once.
 */
export async function api<T = unknown>(
  t: ExchangeTarget,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<T> {
  const { contentType = 'application/json', delays = RETRY_DELAYS_MS } = opts;
  const key = method === 'GET' ? null : (opts.idempotencyKey ?? randomUUID());
  for (let attempt = 0; ; attempt++) {
    const retry = key !== null && attempt < delays.length;
    const out = await once<T>(t, method, path, body, contentType, key, retry);
    if (out.done) return out.value;
    await new Promise((r) => setTimeout(r, delays[attempt]));
  }
}

async function once<T>(
  t: ExchangeTarget,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body: unknown,
  contentType: string,
  key: string | null,
  mayRetry: boolean,
): Promise<{ done: true; value: T } | { done: false }> {
  let res: Response;
  try {
    res = await fetch(
      `${t.exchange}${path.startsWith('/api/') || path.startsWith('/healthz') ? path : `/api/v1${path}`}`,
      {
        method,
        headers: {
          ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': contentType }),
          ...(key ? { 'idempotency-key': `"${key}"` } : {}),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
    );
  } catch (cause) {
    if (mayRetry && brokeMidway(cause)) return { done: false };
    throw new HetaoError(
      'HETAO_CLI_UNREACHABLE',
      `cannot reach the exchange at ${t.exchange} (${(cause as Error).message})`,
      { cause },
    );
  }
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Record<string, unknown>) : null;
  if (res.status >= 400) {
    const code = typeof json?.code === 'string' && /^HETAO_[A-Z0-9_]+$/.test(json.code) ? json.code : 'HETAO_INTERNAL';
    if (mayRetry && (res.status === 503 || code === 'HETAO_API_IDEMPOTENCY_IN_FLIGHT')) return { done: false };
    throw new HetaoError(code as 'HETAO_INTERNAL', String(json?.message ?? text ?? res.statusText), {
      ...(typeof json?.field === 'string' ? { field: json.field } : {}),
    });
  }
  return { done: true, value: (json ?? text) as T };
}
