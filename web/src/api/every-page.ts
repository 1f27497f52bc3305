import type { Page } from './types';

/** `path` with query parameters set (replacing any of the same name). */
export function withParams(path: string, params: Readonly<Record<string, string>>): string {
  const [base, query = ''] = path.split('?', 2) as [string, string?];
  const q = new URLSearchParams(query);
  for (const [k, v] of Object.entries(params)) q.set(k, v);
  return `${base}?${q.toString()}`;
}

/**
 * Every item of a paged listing: pages of 500 (the API's largest) followed by their `next` cursors, returned as
 * one page with no next. For the lists a page offers as choices or names (organizations, sites, datasets), which
 * must not stop at the first page.
 */
export async function everyPage<T>(path: string, get: (path: string) => Promise<Page<T>>): Promise<Page<T>> {
  const items: T[] = [];
  let after: string | null = null;
  do {
    const page: Page<T> = await get(withParams(path, after ? { limit: '500', after } : { limit: '500' }));
    items.push(...page.items);
    after = page.next;
  } while (after);
  return { items, next: null };
}
