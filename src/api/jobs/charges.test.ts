import { afterEach, describe, expect, it } from 'vitest';
import { addCyberport, createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
afterEach(async () => h?.close());

const cyberport = () => addCyberport(h);

describe('charges', () => {
  it('charges each run at the site it ran at: a job lost in Shenzhen and finished in Hong Kong pays CNY and HKD', async () => {
    h = await createHarness();
    const mine = h.other['org-member']; // HKU Vision Lab, a Hong Kong organization
    const sub = await h.call('POST', '/jobs', mine, {
      name: 'cross-border',
      run: 'python train.py --resume',
      resources: { gpus: 2, timeLimitMinutes: 180 },
    });
    await h.deps.coordinator.tick();
    const report = (siteId: string, token: string, lease: { attemptId: string; leaseToken: number }, state: string) =>
      h.call('POST', '/agent/report', token, {
        siteId,
        messageId: `${lease.attemptId}:${state}`,
        jobId: sub.body.id,
        leaseToken: lease.leaseToken,
        state,
        ...(state === 'running' ? {} : { exitCode: 0 }),
      });
    const qianhai = h.tokens['site-agent'];
    const first = (await h.call('POST', '/agent/lease', qianhai, { siteId: h.site.id })).body;
    expect(first.jobId).toBe(sub.body.id);
    await report(h.site.id, qianhai, first, 'running');

    // Qianhai goes silent for 30 minutes and withdraws its GPUs; Cyberport has joined meanwhile.
    const hk = await cyberport();
    h.clock.advance(30 * 60_000);
    const a = await h.store.registry.getSite(h.site.id);
    await h.store.registry.updateSite(h.site.id, a?.version as number, { gpus: { A800: 0 } }, h.clock.now());
    await h.deps.coordinator.tick();
    const moved = (await h.call('GET', `/jobs/${sub.body.id}`, mine)).body;
    expect(moved).toMatchObject({ state: 'placed', placement: { site: hk.site.id }, execution: null });

    const second = (await h.call('POST', '/agent/lease', hk.agent, { siteId: hk.site.id })).body;
    expect(second).toMatchObject({ jobId: sub.body.id, attempt: 2 });
    await report(hk.site.id, hk.agent, second, 'running');
    h.clock.advance(60 * 60_000);
    const done = (await report(hk.site.id, hk.agent, second, 'succeeded')).body;
    expect(done.state).toBe('succeeded');
    expect(done.cost).toEqual({
      currency: null,
      gpuHours: 3,
      gross: null,
      subsidy: null,
      net: null,
      programme: null,
      lines: [
        {
          siteId: h.site.id,
          siteName: 'Qianhai AI Compute Centre',
          currency: 'CNY',
          gpuHours: 1,
          gross: 12,
          subsidy: 0,
          net: 12,
          programme: null,
        },
        {
          siteId: hk.site.id,
          siteName: 'Cyberport AI Supercomputing Centre',
          currency: 'HKD',
          gpuHours: 2,
          gross: 28,
          subsidy: 19.6,
          net: 8.4,
          programme: 'hk-aiss',
        },
      ],
    });

    // Qianhai's utilization history still shows the run that was stopped there (2 GPUs for its 30 minutes).
    const res = await h.call('GET', `/sites/${h.site.id}/utilization?hours=2`, h.tokens['org-member']);
    expect(res.status).toBe(200);
    const items = res.body.items as { at: number; gpusBusy: number }[];
    const busyAt = (minutesAgo: number) => items.find((x) => x.at === h.clock.now() - minutesAgo * 60_000)?.gpusBusy;
    expect(busyAt(75)).toBe(2); // during the run at Qianhai
    expect(busyAt(30)).toBe(0); // while the job ran at Cyberport
  });
});
