import type { Page, PageRequest } from './types.js';

/**
 * Every item of a paged listing, fetched 500 (the largest page) at a time. For callers that need the whole set
 * (the scheduler's view of the sites, an agent's assignments); one page would silently stop at its limit.
 */
export async function everyItem<T>(list: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  do {
    const page: Page<T> = await list({ after, limit: 500 });
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}
