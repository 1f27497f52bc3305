import { useEffect, useState } from 'react';

/** A hash route: `#/jobs/abc?state=running` -> path ['jobs', 'abc'], query {state: 'running'}. */
export interface Route {
  readonly path: readonly string[];
  readonly query: URLSearchParams;
}

function parse(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [p = '', q = ''] = raw.split('?', 2);
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const on = (): void => setRoute(parse(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

/** `href('jobs', id)` -> `#/jobs/<id>`; `query` values that are empty are left out. */
export function href(...parts: readonly string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function withQuery(base: string, query: Readonly<Record<string, string>>): string {
  const q = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
}
