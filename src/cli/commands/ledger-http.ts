import { HetaoError } from '../../core/index.js';

/** Reads the exchange's public ledger over HTTP: `<exchange>/api/v1/ledger/<path>`. */
export interface LedgerHttp {
  readonly base: string;
  text(path: string): Promise<string>;
  bytes(path: string): Promise<Uint8Array>;
  json<T>(path: string): Promise<T>;
}

/** A 404 from the exchange: the resource does not exist (as opposed to an unreachable exchange). */
export class LedgerMissing extends Error {
  constructor(readonly path: string) {
    super(`${path}: 404`);
  }
}

/** `http://host:port`, `…/api/v1` or `…/api/v1/ledger` all name the same ledger. */
export function ledgerBase(exchange: string): string {
  const u = exchange.replace(/\/+$/, '');
  if (u.endsWith('/api/v1/ledger')) return u;
  if (u.endsWith('/api/v1')) return `${u}/ledger`;
  return `${u}/api/v1/ledger`;
}

export function ledgerHttp(exchange: string, timeoutMs = 30_000): LedgerHttp {
  const base = ledgerBase(exchange);
  async function get(path: string): Promise<Response> {
    const url = `${base}/${path}`;
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new HetaoError('HETAO_LEDGER_FETCH_FAILED', `GET ${url}: ${(cause as Error).message}`, { cause });
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new LedgerMissing(path);
    }
    if (!res.ok)
      throw new HetaoError(
        'HETAO_LEDGER_FETCH_FAILED',
        `GET ${url}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`,
      );
    return res;
  }
  return {
    base,
    text: async (path) => (await get(path)).text(),
    bytes: async (path) => new Uint8Array(await (await get(path)).arrayBuffer()),
    json: async <T>(path: string) => (await (await get(path)).json()) as T,
  };
}

/** Like `http.text` etc., but a 404 is HETAO_LEDGER_FETCH_FAILED naming what was missing. */
export async function required<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof LedgerMissing)
      throw new HetaoError('HETAO_LEDGER_FETCH_FAILED', `the exchange has no ${what} (GET …/${err.path}: 404)`);
    throw err;
  }
}
