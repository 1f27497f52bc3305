import { afterEach, expect, it } from 'vitest';
import { SITE_SILENT_AFTER_MS } from '../../exchange/index.js';
import { addCyberport, createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
afterEach(async () => h?.close());

async function setup() {
  h = await createHarness({ presence: true });
  const hk = await addCyberport(h, { gpus: { A800: 8, H800: 8 } });
  const poll = (token: string, siteId: string) => h.call('POST', '/agent/lease', token, { siteId });
  const qianhai = () => poll(h.tokens['site-agent'], h.site.id);
  const cyberport = () => poll(hk.agent, hk.site.id);
  const submit = async (name: string, resources: object = { gpus: 2, timeLimitMinutes: 60 }) =>
    (await h.call('POST', '/jobs', h.other['org-member'], { name, run: 'true', resources })).body.id as string;
  const job = async (id: string) => (await h.call('GET', `/jobs/${id}`, h.other['org-member'])).body;
  return { hk, qianhai, cyberport, submit, job };
}

it('gives no new work to a site whose agent has not called, and says so in the explanation', async () => {
  const { hk, qianhai, submit, job } = await setup();
  h.clock.advance(SITE_SILENT_AFTER_MS + 1_000);
  expect((await qianhai()).status).toBe(204); // Qianhai's agent is there; Cyberport's never called
  const id = await submit('cheaper-in-hk'); // HKU's job: 70% subsidy at Cyberport, none at Qianhai
  await h.deps.coordinator.tick();
  const j = await job(id);
  expect(j).toMatchObject({ state: 'placed', placement: { site: h.site.id } });
  expect(j.placement.explanation).toContain(
    `Not chosen ${hk.site.name}: takes no new work: its agent has not called the exchange since it started`,
  );

  // A job only Cyberport could run (H800s) waits, and says why.
  const h800 = await submit('needs-h800', { gpus: 1, gpuTypes: ['H800'], timeLimitMinutes: 60 });
  await h.deps.coordinator.tick();
  const w = await job(h800);
  expect(w.state).toBe('queued');
  expect(w.waitingReason).toMatch(/^No site can run this job:\n/);
  expect(w.waitingReason).toContain(`${hk.site.name}: takes no new work`);
});

it("puts a job placed at a site that then went silent back in the queue, and elsewhere; the site's return brings work back", async () => {
  const { hk, qianhai, cyberport, submit, job } = await setup();
  await cyberport();
  await qianhai();
  const id = await submit('first');
  await h.deps.coordinator.tick();
  expect((await job(id)).placement.site).toBe(h.site.id);

  h.clock.advance(SITE_SILENT_AFTER_MS + 1_000); // Qianhai's agent goes quiet before it leased the job
  await cyberport();
  await h.deps.coordinator.tick();
  const moved = await job(id);
  expect(moved).toMatchObject({ state: 'placed', placement: { site: hk.site.id } });
  const back = moved.events.find((e: { from: string; to: string }) => e.from === 'placed' && e.to === 'queued');
  expect(back.reason).toContain('Qianhai AI Compute Centre: takes no new work: its agent has been silent since');
  const logged = (await h.ledgerEntries()).filter(
    (e) => (e as unknown as { jobId?: string }).jobId === id && e.type === 'job-state-change',
  ) as unknown as { reason: string }[];
  expect(logged.map((e) => e.reason)).toContain('site-silent');

  expect((await qianhai()).status).toBe(204); // it is back: the next job goes there again
  const next = await submit('second');
  await h.deps.coordinator.tick();
  expect((await job(next)).placement.site).toBe(h.site.id);
});

it('shows on each site whether its agent is calling: when it last did, and since when it is silent', async () => {
  const { hk, qianhai } = await setup();
  const start = h.clock.now();
  const agentOf = async (id: string) => (await h.call('GET', `/sites/${id}`, h.other['org-member'])).body.agent;
  expect(await agentOf(h.site.id)).toEqual({ lastHeardAt: null, silentSince: null });
  h.clock.advance(5_000);
  await qianhai();
  expect(await agentOf(h.site.id)).toEqual({ lastHeardAt: start + 5_000, silentSince: null });

  h.clock.advance(SITE_SILENT_AFTER_MS + 1_000);
  expect(await agentOf(h.site.id)).toEqual({ lastHeardAt: start + 5_000, silentSince: start + 5_000 });
  // Cyberport's agent never called: silent since the exchange started.
  const listed = (await h.call('GET', '/sites', h.other['org-member'])).body.items;
  const cyber = listed.find((s: { id: string }) => s.id === hk.site.id);
  expect(cyber.agent).toEqual({ lastHeardAt: null, silentSince: start });
});
