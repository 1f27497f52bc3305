import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
  const t = await h.call('POST', '/data-types', h.tokens.regulator, {
    name: 'research.paging-sample',
    title: 'Paging sample',
    defaultClassification: 'general',
    containsPersonalInfo: false,
  });
  expect(t.status).toBe(201);
});
afterAll(async () => h?.close());

/** Every item of a listing, following `next` with `limit` per page; also how many pages it took. */
async function walk(path: string, token: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await h.call('GET', `${path}${sep}limit=${limit}${after ? `&after=${after}` : ''}`, token);
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...r.body.items.map((i: { id: string }) => i.id));
    after = r.body.next;
    pages++;
  } while (after !== null);
  return { ids, pages };
}

describe('lists page with a cursor', () => {
  it('walks datasets and jobs page by page, each item once, and only the caller organization’s', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const d = await h.call('POST', '/datasets', h.tokens['org-member'], {
        name: `paged-${i}`,
        siteId: h.site.id,
        dataType: 'research.paging-sample',
        sizeBytes: 1,
        contentDigest: String(i).repeat(64),
      });
      made.push(d.body.id);
    }
    await h.call('POST', '/datasets', h.other['org-member'], {
      name: 'theirs',
      siteId: h.site.id,
      dataType: 'research.paging-sample',
      sizeBytes: 1,
      contentDigest: 'f'.repeat(64),
    });
    const all = (await h.call('GET', '/datasets', h.tokens['org-member'])).body;
    expect(all.next).toBeNull();
    const walked = await walk('/datasets', h.tokens['org-member'], 3);
    expect(walked.ids).toEqual(all.items.map((d: { id: string }) => d.id));
    expect(walked.ids).toEqual(expect.arrayContaining(made));
    expect(walked.ids).toHaveLength(7);
    expect(walked.pages).toBe(3);

    for (let i = 0; i < 5; i++)
      await h.call('POST', '/jobs', h.tokens['org-member'], { name: `paged-${i}`, run: 'true' });
    const jobs = await walk('/jobs', h.tokens['org-member'], 2);
    expect(new Set(jobs.ids).size).toBe(5);
    expect(jobs.pages).toBe(3);
  });

  it('refuses a limit that is not 1 to 999 as bad input naming the field', async () => {
    for (const bad of ['0', '-1', '1000', 'ten', '01', '']) {
      const r = await h.call('GET', `/datasets?limit=${bad}`, h.tokens['org-member']);
      expect([bad, r.status, r.body.code, r.body.field]).toEqual([bad, 400, 'HETAO_API_VALIDATION', 'limit']);
    }
    const capped = await h.call('GET', '/datasets?limit=999', h.tokens['org-member']);
    expect(capped.status).toBe(200);
  });
});

describe('keyed maps check their keys', () => {
  it('refuses a site whose GPU type is not a GPU type name, naming it, and registers nothing', async () => {
    const site = {
      name: 'Keyed site',
      operatorOrgId: h.operator.id,
      jurisdiction: 'HK',
      latitude: 22.26,
      longitude: 114.13,
      gpus: { H800: 8, 'H800; DROP': 4 },
      pricePerGpuHour: 30,
      currency: 'HKD',
    };
    const before = (await h.call('GET', '/sites', h.tokens['exchange-admin'])).body.items.length;
    const bad = await h.call('POST', '/sites', h.tokens['exchange-admin'], site);
    expect([bad.status, bad.body.code, bad.body.field]).toEqual([400, 'HETAO_API_VALIDATION', 'gpus.H800; DROP']);
    expect((await h.call('GET', '/sites', h.tokens['exchange-admin'])).body.items).toHaveLength(before);
    const ok = await h.call('POST', '/sites', h.tokens['exchange-admin'], { ...site, gpus: { H800: 8 } });
    expect(ok.status).toBe(201);
  });
});
