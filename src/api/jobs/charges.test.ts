import { afterEach, describe, expect, it } from 'vitest';
import { site as siteOf } from '../../registry/testing/factories.js';
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

  it('two jobs of one organization ending at once share the subsidy left under its cap, not spend it twice', async () => {
    h = await createHarness();
    const mine = h.other['org-member']; // HKU Vision Lab, eligible for Hong Kong's AI Subsidy Scheme
    // The Cyberport centre's AI Subsidy Scheme, 70%, capped at HKD 25 a year for each organization.
    const subsidies = siteOf(h.operator.id).subsidies.map((p) => ({ ...p, capPerOrg: 25 }));
    const hk = await addCyberport(h, { subsidies });
    const qianhai = await h.store.registry.getSite(h.site.id);
    await h.store.registry.updateSite(h.site.id, qianhai?.version as number, { gpus: { A800: 0 } }, h.clock.now());
    const ids: string[] = [];
    for (const name of ['one', 'two']) {
      const sub = await h.call('POST', '/jobs', mine, {
        name,
        run: 'python train.py',
        resources: { gpus: 2, timeLimitMinutes: 180 },
      });
      ids.push(sub.body.id);
    }
    await h.deps.coordinator.tick();
    const leases = [];
    for (let i = 0; i < 2; i++)
      leases.push((await h.call('POST', '/agent/lease', hk.agent, { siteId: hk.site.id })).body);
    expect(leases.map((l) => l.jobId).sort()).toEqual([...ids].sort());
    const report = (l: { jobId: string; attemptId: string; leaseToken: number }, state: string) =>
      h.call('POST', '/agent/report', hk.agent, {
        siteId: hk.site.id,
        messageId: `${l.attemptId}:${state}`,
        jobId: l.jobId,
        leaseToken: l.leaseToken,
        state,
        ...(state === 'running' ? {} : { exitCode: 0 }),
      });
    for (const l of leases) await report(l, 'running');
    h.clock.advance(60 * 60_000); // each: 2 GPU-hours at HKD 14, 28 gross, 70% would be 19.6
    // Both reports at once, straight to the exchange's lease service (over HTTP the two rarely overlap).
    const ended = await Promise.all(
      leases.map((l) =>
        h.deps.leases.report(hk.site.id, {
          messageId: `${l.attemptId}:succeeded`,
          jobId: l.jobId,
          leaseToken: l.leaseToken,
          state: 'succeeded',
          exitCode: 0,
        }),
      ),
    );
    expect(ended.map((j) => j.cost?.subsidy).sort((a, b) => (b ?? 0) - (a ?? 0))).toEqual([19.6, 5.4]);
    expect(ended.map((j) => j.cost?.net).sort()).toEqual([22.6, 8.4].sort());
    const seen = await Promise.all(ids.map((id) => h.call('GET', `/jobs/${id}`, mine)));
    expect(seen.map((r) => r.body.cost.subsidy).sort((a, b) => b - a)).toEqual([19.6, 5.4]);
  });
});
