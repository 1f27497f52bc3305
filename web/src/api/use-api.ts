import { useCallback, useEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session-context';
import type { ApiError } from './api-error';
import { apiJson, apiText } from './client';
import { everyPage } from './every-page';
import type { Page } from './types';

export interface ApiState<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Fetches `path` (null = nothing to fetch) with the session's token; re-fetches every `pollMs` while mounted when
 * given. Keeps the last good data while a refresh is in flight, so polled views do not flicker. With `all`, `path`
 * is a paged listing and every page of it is fetched (see everyPage).
 */
export function useApi<T>(
  path: string | null,
  options: { pollMs?: number; text?: boolean; all?: boolean } = {},
): ApiState<T> {
  const { token } = useSession();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const { pollMs, text, all } = options;
  const lastPath = useRef(path);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is how reload() asks for a fresh fetch
  useEffect(() => {
    if (lastPath.current !== path) {
      lastPath.current = path;
      setData(undefined);
    }
    if (path === null) return;
    const ctrl = new AbortController();
    let timer: number | undefined;
    const run = async (): Promise<void> => {
      setLoading(true);
      try {
        const opts = { token, signal: ctrl.signal };
        const result = text
          ? await apiText(path, opts)
          : all
            ? await everyPage(path, (p) => apiJson<Page<unknown>>(p, opts))
            : await apiJson<T>(path, opts);
        setData(result as T);
        setError(undefined);
      } catch (e) {
        if (ctrl.signal.aborted) return;
        setError(e as ApiError);
      } finally {
        if (!ctrl.signal.aborted) {
          setLoading(false);
          if (pollMs) timer = window.setTimeout(run, pollMs);
        }
      }
    };
    void run();
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [path, token, pollMs, text, all, tick]);

  return { data, error, loading, reload };
}
