import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_GRACE_MS, LEASE_TTL_MS } from '../../exchange/index.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) =>
  h.call(method, url, token, payload);

const agent = () => h.tokens['site-agent'];

describe('jobs and the agent protocol', () => {
  it('submits, places with an explanation, leases under a fencing token, runs, logs and charges', async () => {
    const sub = await call('POST', '/jobs', h.tokens['org-member'], {
      name: 'train',
      run: 'echo hi',
      resources: { gpus: 2, timeLimitMinutes: 30 },
    });
    expect(sub.status).toBe(201);
    expect(sub.body).toMatchObject({ state: 'queued', orgId: h.orgA.id, placement: null });
    await h.deps.coordinator.tick();
    const placed = await call('GET', `/jobs/${sub.body.id}`, h.tokens['org-member']);
    expect(placed.body.state).toBe('placed');
    expect(placed.body.placement).toMatchObject({ site: h.site.id });
    expect(placed.body.placement.explanation).toMatch(/^Chosen Qianhai AI Compute Centre: starts now on A800/);

    const lease = await call('POST', '/agent/lease', agent(), { siteId: h.site.id });
    expect(lease.status).toBe(200);
    expect(lease.body).toMatchObject({ jobId: sub.body.id, attempt: 1, leaseToken: 1, attemptId: `${sub.body.id}-1` });
    expect((await call('POST', '/agent/lease', agent(), { siteId: h.site.id })).status).toBe(204);

    const report = (state: string, messageId: string, extra: object = {}, token = 1) =>
      call('POST', '/agent/report', agent(), {
        siteId: h.site.id,
        messageId,
        jobId: sub.body.id,
        leaseToken: token,
        state,
        ...extra,
      });
    expect((await report('succeeded', 'msg-000001')).status).toBe(422);
    const running = await report('running', 'msg-000002', {
      execution: { executor: 'slurm', cluster: 'sz', slurmJobId: 42 },
    });
    expect(running.body).toMatchObject({
      state: 'running',
      execution: { executor: 'slurm', cluster: 'sz', slurmJobId: 42 },
    });
    expect((await report('running', 'msg-000002')).status).toBe(200);
    expect((await report('running', 'msg-000003', {}, 0)).body.code).toBe('HETAO_AGENT_FENCED');

    const logs = { siteId: h.site.id, jobId: sub.body.id, leaseToken: 1 };
    expect((await call('POST', '/agent/logs', agent(), { ...logs, offset: 0, text: 'epoch 0\n' })).status).toBe(204);
    await call('POST', '/agent/logs', agent(), { ...logs, offset: 8, text: 'epoch 1\n' });
    await call('POST', '/agent/logs', agent(), { ...logs, offset: 0, text: 'epoch 0\n' });
    expect((await call('GET', `/jobs/${sub.body.id}/logs`, h.tokens['org-admin'])).body).toBe('epoch 0\nepoch 1\n');

    h.clock.advance(30 * 60_000);
    const done = await report('succeeded', 'msg-000004', { exitCode: 0 });
    expect(done.body).toMatchObject({ state: 'succeeded', execution: { exitCode: 0 } });
    expect(done.body.cost).toMatchObject({ currency: 'CNY', gpuHours: 1, gross: 12, net: 12 });
    const again = await report('succeeded', 'msg-000004', { exitCode: 0 });
    expect(again.status).toBe(200);
    const detail = await call('GET', `/jobs/${sub.body.id}`, h.tokens['org-admin']);
    expect(detail.body.events.map((e: { to: string }) => e.to)).toEqual([
      'queued',
      'placed',
      'dispatched',
      'running',
      'succeeded',
    ]);
  });

  it('requeues work whose agent went silent, and refuses the stale lease afterwards', async () => {
    const sub = await call('POST', '/jobs', h.tokens['org-admin'], { name: 'silent', run: 'sleep 100' });
    await h.deps.coordinator.tick();
    const first = await call('POST', '/agent/lease', agent(), { siteId: h.site.id });
    expect(first.body.leaseToken).toBe(1);
    h.clock.advance(LEASE_TTL_MS + LEASE_GRACE_MS + 1_000);
    await h.deps.coordinator.tick();
    const again = await call('POST', '/agent/lease', agent(), { siteId: h.site.id });
    expect(again.body).toMatchObject({ jobId: sub.body.id, attempt: 2, leaseToken: 2 });
    const hb = await call('POST', '/agent/heartbeat', agent(), {
      siteId: h.site.id,
      leases: [{ jobId: sub.body.id, leaseToken: 1 }],
    });
    expect(hb.body.answers[sub.body.id]).toBe('fenced');
    const stale = await call('POST', '/agent/report', agent(), {
      siteId: h.site.id,
      messageId: 'stale-000001',
      jobId: sub.body.id,
      leaseToken: 1,
      state: 'running',
    });
    expect(stale.body.code).toBe('HETAO_AGENT_FENCED');
    const events = (await call('GET', `/jobs/${sub.body.id}`, h.tokens['org-admin'])).body.events;
    expect(events.map((e: { to: string }) => e.to)).toEqual([
      'queued',
      'placed',
      'dispatched',
      'queued',
      'placed',
      'dispatched',
    ]);
    // An agent restarting now re-attaches attempt 2 and is told to stop attempt 1 should it still run.
    const held = (await call('GET', `/agent/assignments?siteId=${h.site.id}`, agent())).body;
    expect(held.items.map((i: { attemptId: string }) => i.attemptId)).toContain(`${sub.body.id}-2`);
    expect(held.stop).toContain(`${sub.body.id}-1`);
    expect(held.stop).not.toContain(`${sub.body.id}-2`);
    const cancelled = await call('POST', `/jobs/${sub.body.id}/cancel`, h.tokens['org-admin']);
    expect(cancelled.body.state).toBe('cancelled');
    const after = (await call('GET', `/agent/assignments?siteId=${h.site.id}`, agent())).body;
    expect(after.stop).toEqual(expect.arrayContaining([`${sub.body.id}-1`, `${sub.body.id}-2`]));
  });

  it('charges a job requeued after its site was lost for both runs, not for the time it waited between them', async () => {
    const sub = await call('POST', '/jobs', h.tokens['org-admin'], {
      name: 'lost-then-done',
      run: 'true',
      resources: { gpus: 2, timeLimitMinutes: 60 },
    });
    await h.deps.coordinator.tick();
    const report = (lease: { attemptId: string; leaseToken: number }, state: string) =>
      call('POST', '/agent/report', agent(), {
        siteId: h.site.id,
        messageId: `${lease.attemptId}:${state}`,
        jobId: sub.body.id,
        leaseToken: lease.leaseToken,
        state,
        ...(state === 'running' ? {} : { exitCode: 0 }),
      });
    const first = (await call('POST', '/agent/lease', agent(), { siteId: h.site.id })).body;
    await report(first, 'running');
    h.clock.advance(LEASE_TTL_MS + LEASE_GRACE_MS + 1_000); // silent past the lease and its grace: lost
    await h.deps.coordinator.tick();
    expect((await call('GET', `/jobs/${sub.body.id}`, h.tokens['org-admin'])).body.state).not.toBe('running');
    h.clock.advance(600_000); // its agent leases it again only ten minutes later
    await h.deps.coordinator.tick();
    let second = (await call('POST', '/agent/lease', agent(), { siteId: h.site.id })).body;
    while (second.jobId !== sub.body.id)
      second = (await call('POST', '/agent/lease', agent(), { siteId: h.site.id })).body;
    await report(second, 'running');
    h.clock.advance(9_000);
    const done = (await report(second, 'succeeded')).body;
    expect(done.state).toBe('succeeded');
    expect(done.cost.gpuHours).toBeCloseTo((2 * (LEASE_TTL_MS + LEASE_GRACE_MS + 1_000 + 9_000)) / 3_600_000, 6);
  });

  it('cancels: the agent hears it at its next heartbeat', async () => {
    const sub = await call('POST', '/jobs', h.tokens['org-admin'], { name: 'to-cancel', run: 'sleep 100' });
    await h.deps.coordinator.tick();
    const lease = await call('POST', '/agent/lease', agent(), { siteId: h.site.id });
    expect((await call('POST', `/jobs/${sub.body.id}/cancel`, h.other['org-admin'])).status).toBe(404);
    const c = await call('POST', `/jobs/${sub.body.id}/cancel`, h.tokens['org-member']);
    expect(c.body.state).toBe('cancelled');
    expect((await call('POST', `/jobs/${sub.body.id}/cancel`, h.tokens['org-member'])).status).toBe(409);
    const hb = await call('POST', '/agent/heartbeat', agent(), {
      siteId: h.site.id,
      leases: [{ jobId: sub.body.id, leaseToken: lease.body.leaseToken }],
    });
    expect(hb.body.answers[sub.body.id]).toBe('cancel');
  });

  it('keeps another organization and other sites out', async () => {
    const sub = await call('POST', '/jobs', h.tokens['org-admin'], { name: 'private', run: 'true' });
    expect((await call('GET', `/jobs/${sub.body.id}`, h.other['org-admin'])).status).toBe(404);
    expect((await call('GET', `/jobs/${sub.body.id}/logs`, h.other['org-member'])).status).toBe(404);
    expect((await call('GET', `/jobs/${sub.body.id}`, h.other.regulator)).status).toBe(200);
    const theirs = (await call('GET', '/jobs', h.other['org-admin'])).body.items;
    expect(theirs.find((j: { id: string }) => j.id === sub.body.id)).toBeUndefined();
    expect((await call('POST', '/agent/lease', agent(), { siteId: 'site_OTHER' })).body.code).toBe('HETAO_AGENT_SITE');
    expect((await call('POST', '/agent/lease', h.tokens['org-admin'], { siteId: h.site.id })).status).toBe(403);
    const bad = await call('POST', '/jobs', h.tokens['org-admin'], {
      name: 'x',
      run: 'true',
      datasets: ['ds_01M8GP3ZM0BEY7RR3WPR7YHXV8'],
    });
    expect(bad.body).toMatchObject({ code: 'HETAO_STORE_REFERENCE', field: 'datasets.0' });
    const invalid = await call('POST', '/jobs', h.tokens['org-admin'], {
      name: 'x',
      run: 'true',
      resources: { gpus: -1 },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.field).toBe('resources.gpus');
  });

  // Last: it leases whatever earlier cases left placed, and moves the clock past their leases.
  it('charges a running job cancelled by its user for what it ran; one that never ran costs nothing', async () => {
    const never = await call('POST', '/jobs', h.tokens['org-admin'], { name: 'never-ran', run: 'true' });
    expect((await call('POST', `/jobs/${never.body.id}/cancel`, h.tokens['org-admin'])).body.cost).toBeNull();
    const sub = await call('POST', '/jobs', h.tokens['org-admin'], {
      name: 'cancelled-late',
      run: 'sleep 3600',
      resources: { gpus: 4, timeLimitMinutes: 120 },
    });
    await h.deps.coordinator.tick();
    let lease = (await call('POST', '/agent/lease', agent(), { siteId: h.site.id })).body;
    while (lease.jobId !== sub.body.id)
      lease = (await call('POST', '/agent/lease', agent(), { siteId: h.site.id })).body;
    await call('POST', '/agent/report', agent(), {
      siteId: h.site.id,
      messageId: `${lease.attemptId}:running`,
      jobId: sub.body.id,
      leaseToken: lease.leaseToken,
      state: 'running',
    });
    h.clock.advance(15 * 60_000);
    const c = (await call('POST', `/jobs/${sub.body.id}/cancel`, h.tokens['org-member'])).body;
    expect(c.state).toBe('cancelled');
    expect(c.cost).toMatchObject({ currency: 'CNY', gpuHours: 1, gross: 12 });
  });
});
