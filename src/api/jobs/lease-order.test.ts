import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

it('hands out placed jobs in the order they were placed, however many wait at the site', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 30; i++) {
    const sub = await h.call('POST', '/jobs', h.tokens['org-member'], { name: `cpu-${i}`, run: 'true' });
    expect(sub.status).toBe(201);
    ids.push(sub.body.id);
  }
  await h.deps.coordinator.tick();
  const states = await Promise.all(
    ids.map(async (id) => (await h.call('GET', `/jobs/${id}`, h.tokens['org-member'])).body.state),
  );
  expect(states.every((s) => s === 'placed')).toBe(true);
  // A newer job placed while the others wait does not go ahead of them.
  const late = await h.call('POST', '/jobs', h.tokens['org-member'], { name: 'late', run: 'true' });
  h.clock.advance(1_000);
  await h.deps.coordinator.tick();
  const leased: string[] = [];
  for (let i = 0; i < ids.length + 1; i++) {
    const grant = await h.call('POST', '/agent/lease', h.tokens['site-agent'], { siteId: h.site.id });
    expect(grant.status).toBe(200);
    leased.push(grant.body.jobId);
  }
  expect(leased).toEqual([...ids, late.body.id]);
});
