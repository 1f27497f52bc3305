import { HetaoError } from '../../core/index.js';

/**
 * The agent's HTTP client for the exchange's agent protocol. Agents sit behind a centre's firewall, so every call
 * is outbound. Errors with a body carry the exchange's code; network failures reject with the fetch error
 * (the caller retries).
 */
export class ExchangeClient {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs = 40_000,
    signal?: AbortSignal,
    headers: Readonly<Record<string, string>> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base.replace(/\/$/, '')}/api/v1${path}`, {
      method,
      headers: {
        ...headers,
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (res.status >= 400) {
      const code = (parsed as { code?: string })?.code;
      const message = (parsed as { message?: string })?.message ?? text;
      const err = new HetaoError(
        code && /^HETAO_[A-Z_]+$/.test(code) ? (code as 'HETAO_INTERNAL') : 'HETAO_INTERNAL',
        `exchange answered ${res.status} to ${method} ${path}: ${message}`,
      );
      throw err;
    }
    return { status: res.status, body: parsed as T };
  }
}
