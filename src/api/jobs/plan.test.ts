import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
afterEach(async () => h?.close());

const submit = async (name: string, gpus: number, timeLimitMinutes: number) => {
  const r = await h.call('POST', '/jobs', h.tokens['org-member'], {
    name,
    run: 'sleep 60',
    resources: { gpus, timeLimitMinutes },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
};
const job = async (id: string) => (await h.call('GET', `/jobs/${id}`, h.tokens['org-member'])).body;

describe('the plan for the head of the queue in the exchange', () => {
  it('starts wide jobs before a long narrow one that ranks first, and says why each waits or started', async () => {
    h = await createHarness();
    // One 8-GPU site, full while the jobs queue. By GPU-time the 1-GPU, 100-minute job ranks before three 8-GPU,
    // 15-minute jobs; started first it would keep all three waiting for 100 minutes.
    const blocker = await submit('blocker', 8, 10);
    await h.deps.coordinator.tick();
    expect((await job(blocker)).state).toBe('placed');
    const narrow = await submit('narrow', 1, 100);
    h.clock.advance(1000);
    const wide: string[] = [];
    for (const name of ['w1', 'w2', 'w3']) {
      wide.push(await submit(name, 8, 15));
      h.clock.advance(1000);
    }
    await h.deps.coordinator.tick();
    expect((await job(narrow)).state).toBe('queued');
    const before = (await h.ledgerEntries()).length;
    expect((await h.call('POST', `/jobs/${blocker}/cancel`, h.tokens['org-member'])).status).toBe(200);
    await h.deps.coordinator.tick();
    const now = h.clock.now();

    const w1 = await job(wide[0]);
    expect(w1.state).toBe('placed');
    expect(w1.placement.explanation).toMatch(/Started ahead of jobs ranked before it: the plan for the head/);
    const placements = (await h.ledgerEntries())
      .slice(before)
      .filter((e) => e.type === 'job-placement') as unknown as Array<{ jobId: string; reason: string }>;
    expect(placements.map((e) => [e.jobId, e.reason])).toEqual([[wide[0], 'planned-ahead']]);

    const n = await job(narrow);
    expect(n.state).toBe('queued');
    // Planned after the three wide jobs: 3 x 15 minutes from now, at the harness's site.
    const by = new Date(now + 45 * 60_000).toISOString();
    expect(n.waitingReason).toBe(
      `waiting: planned to start by ${by} at ${h.site.name}; jobs ranked after it start first, because the plan for the head of the queue finds that this shortens the waiting jobs' completion times overall`,
    );
    for (const id of wide.slice(1))
      expect((await job(id)).waitingReason).toBe('waiting for capacity at an allowed site');
  });
});
