import { describe, expect, it } from 'vitest';
import { everyPage, withParams } from './every-page';
import type { Page } from './types';

/** A listing of `n` items served like the API: newest first by id, `limit` and `after` from the query. */
function listing(n: number) {
  const ids = Array.from({ length: n }, (_, i) => `id${String(n - i).padStart(5, '0')}`);
  const asked: string[] = [];
  const get = async (path: string): Promise<Page<string>> => {
    asked.push(path);
    const q = new URLSearchParams(path.split('?')[1]);
    const limit = Number(q.get('limit') ?? 100);
    const after = q.get('after');
    const from = after ? ids.indexOf(after) + 1 : 0;
    const items = ids.slice(from, from + limit);
    return { items, next: from + limit < ids.length ? (items.at(-1) as string) : null };
  };
  return { ids, asked, get };
}

describe('everyPage', () => {
  it('follows the cursors to the end, 500 at a time, keeping the query it was given', async () => {
    const l = listing(1203);
    const all = await everyPage('/datasets?scenario=scn_1', l.get);
    expect(all.items).toEqual(l.ids);
    expect(all.next).toBeNull();
    expect(l.asked).toEqual([
      '/datasets?scenario=scn_1&limit=500',
      '/datasets?scenario=scn_1&limit=500&after=id00704',
      '/datasets?scenario=scn_1&limit=500&after=id00204',
    ]);
  });

  it('asks once for a listing that fits one page, and copes with an empty one', async () => {
    const small = listing(3);
    expect((await everyPage('/sites', small.get)).items).toEqual(small.ids);
    expect(small.asked).toHaveLength(1);
    expect((await everyPage('/sites', listing(0).get)).items).toEqual([]);
  });
});

describe('withParams', () => {
  it('sets parameters, replacing one of the same name', () => {
    expect(withParams('/flows?limit=100&since=5', { limit: '500' })).toBe('/flows?limit=500&since=5');
    expect(withParams('/sites', { after: 'a b' })).toBe('/sites?after=a+b');
  });
});
