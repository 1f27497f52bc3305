import { ApiError } from './api-error';
import type { ApiErrorBody } from './types';

/** API base, relative to the page so the dashboard works wherever the exchange serves it. */
export const API_BASE = new URL('api/v1/', document.baseURI).href.replace(/\/$/, '');

export interface RequestOptions {
  readonly token: string | null;
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  readonly accept?: 'json' | 'text';
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (typeof body.code === 'string')
      return new ApiError(res.status, body.code, body.message ?? res.statusText, body.field);
  } catch {
    // Not JSON: report the status line below.
  }
  return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 200) || res.statusText);
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${API_BASE}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

export async function apiJson<T>(path: string, options: RequestOptions): Promise<T> {
  const res = await send(path, options);
  return (await res.json()) as T;
}

export async function apiText(path: string, options: RequestOptions): Promise<string> {
  const res = await send(path, options);
  return res.text();
}
