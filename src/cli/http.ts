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

/**
 * One API call. Errors from the exchange keep their code and field (so the CLI prints `CODE: message` and exits 2
 * for a 4xx); an unreachable exchange is HETAO_CLI_UNREACHABLE.
 */
export async function api<T = unknown>(
  t: ExchangeTarget,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(
      `${t.exchange}${path.startsWith('/api/') || path.startsWith('/healthz') ? path : `/api/v1${path}`}`,
      {
        method,
        headers: {
          ...(t.token ? { authorization: `Bearer ${t.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': contentType }),
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
    );
  } catch (cause) {
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
    throw new HetaoError(code as 'HETAO_INTERNAL', String(json?.message ?? text ?? res.statusText), {
      ...(typeof json?.field === 'string' ? { field: json.field } : {}),
    });
  }
  return (json ?? text) as T;
}
