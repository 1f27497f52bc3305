import { afterEach, describe, expect, it } from 'vitest';
import { jobRecord } from '../../scheduler/testing/job-record.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
afterEach(async () => h?.close());

const setShare = async (orgId: string, gpuShare: number, token = h.tokens['exchange-admin']) => {
  const cur = await h.call('GET', `/organizations/${orgId}`, token);
  return h.call('PATCH', `/organizations/${orgId}`, token, { gpuShare, version: cur.body.version });
};

const submit = (token: string, name: string, gpus = 1) =>
  h.call('POST', '/jobs', token, { name, run: 'sleep 60', resources: { gpus, timeLimitMinutes: 30 } });

const job = async (id: string) => (await h.call('GET', `/jobs/${id}`, h.tokens['exchange-admin'])).body;

describe('GPU shares and fair share in the exchange', () => {
  it('lets only the exchange operator set shares, which together stay within all GPUs; every change is logged', async () => {
    h = await createHarness();
    expect((await setShare(h.orgA.id, 0.5, h.tokens['org-admin'])).status).toBe(403);
    expect((await setShare(h.orgA.id, 0.5, h.tokens.regulator)).status).toBe(403);
    const before = (await h.ledgerEntries()).length;
    const a = await setShare(h.orgA.id, 0.5);
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ id: h.orgA.id, gpuShare: 0.5, version: 2 });
    const logged = (await h.ledgerEntries()).slice(before);
    expect(logged).toEqual([
      expect.objectContaining({
        type: 'registry-change',
        object: 'organization',
        objectId: h.orgA.id,
        action: 'update',
      }),
    ]);

    const over = await setShare(h.orgB.id, 0.6);
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 'HETAO_REGISTRY_INVALID', field: 'gpuShare' });
    expect((await h.call('GET', `/organizations/${h.orgB.id}`, h.tokens['exchange-admin'])).body.gpuShare).toBe(0);
    for (const bad of [-0.1, 1.5, '0.5', null]) {
      const r = await h.call('PATCH', `/organizations/${h.orgB.id}`, h.tokens['exchange-admin'], {
        gpuShare: bad,
        version: 1,
      });
      expect(r.status).toBe(400);
      expect(r.body.field).toBe('gpuShare');
    }
    const stale = await h.call('PATCH', `/organizations/${h.orgA.id}`, h.tokens['exchange-admin'], {
      gpuShare: 0.2,
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect((await setShare(h.orgB.id, 0.5)).body.gpuShare).toBe(0.5);
    // Lowering one's own share is always allowed, and the new organization's share is checked too.
    expect((await setShare(h.orgA.id, 0.4)).status).toBe(200);
    const created = await h.call('POST', '/organizations', h.tokens['exchange-admin'], {
      name: 'Cyberport Start-up',
      jurisdiction: 'HK',
      gpuShare: 0.2,
    });
    expect(created.body).toMatchObject({ code: 'HETAO_REGISTRY_INVALID', field: 'gpuShare' });
    expect((await h.ledgerEntries()).length).toBe(before + 3);
  });

  it('starts a job within its share before earlier jobs of an organization over its share', async () => {
    h = await createHarness();
    await setShare(h.orgA.id, 0.5);
    await setShare(h.orgB.id, 0.5);
    // A fills the 8-GPU site: 4 GPUs within its share, 4 borrowed while nobody else needs them.
    const first = [];
    for (let i = 0; i < 8; i++) first.push((await submit(h.tokens['org-member'], `a${i}`)).body.id);
    await h.deps.coordinator.tick();
    const placed = await Promise.all(first.map(job));
    expect(placed.map((j) => j.state)).toEqual(Array(8).fill('placed'));
    const borrowed = placed.filter((j) => /Runs on borrowed capacity/.test(j.placement.explanation));
    expect(borrowed).toHaveLength(4);
    const reasons = (await h.ledgerEntries()).flatMap((e) =>
      e.type === 'job-placement' ? [(e as unknown as { reason: string }).reason] : [],
    );
    expect(reasons.filter((r) => r === 'borrowed-capacity')).toHaveLength(4);

    // A queues two more, then B asks for one GPU. Nothing is free yet.
    const aLater = [
      (await submit(h.tokens['org-member'], 'a8')).body.id,
      (await submit(h.tokens['org-member'], 'a9')).body.id,
    ];
    h.clock.advance(1000);
    const b = (await submit(h.other['org-member'], 'b0')).body.id;
    await h.deps.coordinator.tick();
    expect((await job(b)).state).toBe('queued');
    expect((await job(aLater[0] as string)).waitingReason).toMatch(/holds 8 GPUs and its share is 4 of 8/);
    expect((await job(b)).waitingReason).toBe('waiting for capacity at an allowed site');

    // One GPU frees: B's job takes it, though A's were submitted first and rank the same otherwise.
    await h.call('POST', `/jobs/${first[0]}/cancel`, h.tokens['org-member']);
    await h.deps.coordinator.tick();
    expect((await job(b)).state).toBe('placed');
    expect((await Promise.all(aLater.map(job))).map((j) => j.state)).toEqual(['queued', 'queued']);
  });

  /**
   * A used 8 GPUs for an hour, ending an hour ago; B used nothing. A submits a 1-GPU job, then B, while the site
   * is full; then 7 of the 8 GPUs stay busy and one frees. Returns which of the two was placed.
   */
  async function oneGpuFreesFor(): Promise<{ a: string; b: string }> {
    const now = h.clock.now();
    const held = { siteId: h.site.id, siteName: h.site.name, gpuType: 'A800', explanation: '', alternatives: [] };
    await h.deps.jobs.insertJob(
      jobRecord(h.orgA.id, {
        gpus: 8,
        state: 'succeeded',
        siteId: h.site.id,
        startedAt: now - 7200_000,
        endedAt: now - 3600_000,
      }),
      [],
    );
    const full = await h.deps.jobs.insertJob(
      jobRecord(h.operator.id, { gpus: 8, state: 'running', siteId: h.site.id, startedAt: now, placement: held }),
      [],
    );
    const a = (await submit(h.tokens['org-member'], 'a')).body.id;
    h.clock.advance(1000);
    const b = (await submit(h.other['org-member'], 'b')).body.id;
    await h.deps.coordinator.tick();
    expect([(await job(a)).state, (await job(b)).state]).toEqual(['queued', 'queued']);
    await h.deps.jobs.saveJob({ ...full, state: 'succeeded', endedAt: h.clock.now(), version: 2 }, 1, []);
    await h.deps.jobs.insertJob(
      jobRecord(h.operator.id, { gpus: 7, state: 'running', siteId: h.site.id, startedAt: now, placement: held }),
      [],
    );
    await h.deps.coordinator.tick();
    return { a: (await job(a)).state, b: (await job(b)).state };
  }

  it('ranks the organization that used less of the GPUs lately first, within their shares', async () => {
    h = await createHarness();
    await setShare(h.orgA.id, 0.5);
    await setShare(h.orgB.id, 0.5);
    expect(await oneGpuFreesFor()).toEqual({ a: 'queued', b: 'placed' });
  });

  it('changes nothing while no organization has a share: submit order among equal jobs', async () => {
    h = await createHarness();
    expect(await oneGpuFreesFor()).toEqual({ a: 'placed', b: 'queued' });
  });

  /** Leases every job placed at the harness site and reports it running, as an agent would. */
  async function runAllPlaced(): Promise<Map<string, number>> {
    const agent = h.tokens['site-agent'];
    const leases = new Map<string, number>();
    for (;;) {
      const lease = await h.call('POST', '/agent/lease', agent, { siteId: h.site.id });
      if (lease.status === 204) return leases;
      leases.set(lease.body.jobId, lease.body.leaseToken);
      const r = await h.call('POST', '/agent/report', agent, {
        siteId: h.site.id,
        messageId: `${lease.body.attemptId}:running`,
        jobId: lease.body.jobId,
        leaseToken: lease.body.leaseToken,
        state: 'running',
      });
      expect(r.status).toBe(200);
    }
  }

  it('takes borrowed GPUs back from preemptible jobs; the stopped jobs queue again and their agent stops them', async () => {
    h = await createHarness();
    await setShare(h.orgA.id, 0.5);
    await setShare(h.orgB.id, 0.5);
    const a: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await h.call('POST', '/jobs', h.tokens['org-member'], {
        name: `a${i}`,
        run: 'python train.py --resume',
        resources: { gpus: 1, timeLimitMinutes: 60 },
        preemptible: true,
      });
      expect(r.body.spec.preemptible).toBe(true);
      a.push(r.body.id);
      h.clock.advance(1000);
    }
    await h.deps.coordinator.tick();
    const leases = await runAllPlaced();
    expect(leases.size).toBe(8);
    h.clock.advance(5_000); // within the agent's lease

    const b = [(await submit(h.other['org-member'], 'b0', 2)).body.id];
    await h.deps.coordinator.tick();
    const after = await Promise.all(a.map(job));
    const stopped = after.filter((j) => j.state === 'queued');
    // the two most recently started of A's jobs (started together: the later ids) go; A keeps 6, over its 4
    expect(stopped.map((j) => j.id)).toEqual(a.slice(6));
    for (const j of stopped) {
      expect(j.events.at(-1).reason).toMatch(/^preempted: its organization holds more than its GPU share/);
      expect(j.events.map((e: { to: string }) => e.to)).toEqual([
        'queued',
        'placed',
        'dispatched',
        'running',
        'queued',
      ]);
    }
    const placedB = await job(b[0] as string);
    expect(placedB.state).toBe('placed');
    expect(placedB.placement.explanation.split('\n')[0]).toBe(
      `Chosen Qianhai AI Compute Centre: starts now on A800 in place of ${a[7]}, ${a[6]} (preemptible jobs on GPUs their organization borrowed beyond its share), stopped and queued again.`,
    );
    const codes = (await h.ledgerEntries()).flatMap((e) =>
      e.type === 'job-state-change' ? [(e as unknown as { reason: string }).reason] : [],
    );
    expect(codes.filter((c) => c === 'preempted-reclaim')).toHaveLength(2);

    // The agent hears at its heartbeat that those leases are gone (it stops the attempts); the rest run on.
    const hb = await h.call('POST', '/agent/heartbeat', h.tokens['site-agent'], {
      siteId: h.site.id,
      leases: a.map((id) => ({ jobId: id, leaseToken: leases.get(id) })),
    });
    expect(a.map((id) => hb.body.answers[id])).toEqual([...Array(6).fill('ok'), 'fenced', 'fenced']);

    // B's share is met: a further B job that would borrow stops nobody.
    const b1 = (await submit(h.other['org-member'], 'b1', 4)).body.id;
    await h.deps.coordinator.tick();
    expect((await Promise.all(a.slice(0, 6).map(job))).every((j) => j.state === 'running')).toBe(true);
    expect((await job(b1)).state).toBe('queued');

    // When A's GPUs free, a stopped job runs again as its second attempt (it resumes from its checkpoint).
    await h.call('POST', `/jobs/${a[0]}/cancel`, h.tokens['org-member']);
    await h.deps.coordinator.tick();
    const again = await h.call('POST', '/agent/lease', h.tokens['site-agent'], { siteId: h.site.id });
    expect(again.status).toBe(200);
    expect(a.slice(6)).toContain(again.body.jobId);
    expect(again.body.attempt).toBe(2);

    // It is charged for both runs: the one stopped by preemption and the one that finished.
    const report = (state: string, extra: object = {}) =>
      h.call('POST', '/agent/report', h.tokens['site-agent'], {
        siteId: h.site.id,
        messageId: `${again.body.attemptId}:${state}`,
        jobId: again.body.jobId,
        leaseToken: again.body.leaseToken,
        state,
        ...extra,
      });
    await report('running');
    h.clock.advance(20_000);
    const finished = (await report('succeeded', { exitCode: 0 })).body;
    expect(finished.state).toBe('succeeded');
    const events = (await job(again.body.jobId)).events as { to: string; at: number }[];
    const runs = events.flatMap((e, i) => (e.to === 'running' ? [[e.at, events[i + 1]?.at as number]] : []));
    expect(runs).toHaveLength(2);
    const ranMs = runs.reduce((sum, [from, to]) => sum + ((to as number) - (from as number)), 0);
    expect(ranMs).toBeGreaterThan(20_000);
    expect(finished.cost.gpuHours).toBeCloseTo(ranMs / 3_600_000, 6);

    // The other stopped job still waits; cancelled now, it is charged for its stopped run at the site it ran at.
    const waiting = a.slice(6).find((id) => id !== again.body.jobId) as string;
    const before = await job(waiting);
    expect(before).toMatchObject({ state: 'queued', cost: null });
    const cancelled = (await h.call('POST', `/jobs/${waiting}/cancel`, h.tokens['org-member'])).body;
    const ev = before.events as { to: string; at: number }[];
    const stoppedRun = (ev.at(-1)?.at as number) - (ev.findLast((e) => e.to === 'running')?.at as number);
    expect(stoppedRun).toBeGreaterThan(0);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.cost.gpuHours).toBeCloseTo(stoppedRun / 3_600_000, 6);
    expect(cancelled.cost.currency).toBe(finished.cost.currency);
  });

  it('stops a lower-priority preemptible job of the same organization for a higher-priority one, and only that', async () => {
    h = await createHarness();
    const low = await h.call('POST', '/jobs', h.tokens['org-member'], {
      name: 'sweep',
      run: 'python sweep.py',
      resources: { gpus: 8, timeLimitMinutes: 600 },
      priority: -2,
      preemptible: true,
    });
    await h.deps.coordinator.tick();
    await runAllPlaced();
    h.clock.advance(5_000); // it runs 5 s before it is stopped
    const theirs = await h.call('POST', '/jobs', h.other['org-member'], {
      name: 'theirs',
      run: 'true',
      resources: { gpus: 4, timeLimitMinutes: 10 },
      priority: 10,
    });
    await h.deps.coordinator.tick();
    expect((await job(low.body.id)).state).toBe('running');
    expect((await job(theirs.body.id)).state).toBe('queued');
    const urgent = await h.call('POST', '/jobs', h.tokens['org-member'], {
      name: 'deadline',
      run: 'true',
      resources: { gpus: 4, timeLimitMinutes: 10 },
      priority: 5,
    });
    await h.deps.coordinator.tick();
    const stopped = await job(low.body.id);
    expect(stopped.state).toBe('queued');
    expect(stopped.events.at(-1).reason).toMatch(/^preempted by job .* higher priority/);
    expect((await job(urgent.body.id)).state).toBe('placed');
    // the other organization's job, though of higher priority, may now use what is left
    expect((await job(theirs.body.id)).state).toBe('placed');

    // If its next attempt fails before it starts, it is still charged for the run that was stopped.
    const ranBefore = stopped.events.at(-1).at - stopped.events.at(-2).at;
    expect(ranBefore).toBe(5_000);
    await h.call('POST', `/jobs/${urgent.body.id}/cancel`, h.tokens['org-member']);
    await h.call('POST', `/jobs/${theirs.body.id}/cancel`, h.other['org-member']);
    h.clock.advance(1000);
    await h.deps.coordinator.tick();
    const agent = h.tokens['site-agent'];
    let lease = await h.call('POST', '/agent/lease', agent, { siteId: h.site.id });
    while (lease.status === 200 && lease.body.jobId !== low.body.id)
      lease = await h.call('POST', '/agent/lease', agent, { siteId: h.site.id });
    expect(lease.body).toMatchObject({ jobId: low.body.id, attempt: 2 });
    const failed = await h.call('POST', '/agent/report', agent, {
      siteId: h.site.id,
      messageId: `${lease.body.attemptId}:failed`,
      jobId: low.body.id,
      leaseToken: lease.body.leaseToken,
      state: 'failed',
      exitCode: -1,
    });
    expect(failed.body.state).toBe('failed');
    expect(failed.body.cost.gpuHours).toBeCloseTo((8 * ranBefore) / 3_600_000, 6);
  });

  it("gives a resumed job's next attempt the limit it has left plus time to restore, and plans with that", async () => {
    h = await createHarness();
    const agent = h.tokens['site-agent'];
    const low = await h.call('POST', '/jobs', h.tokens['org-member'], {
      name: 'resumable',
      run: 'python train.py --resume',
      resources: { gpus: 8, timeLimitMinutes: 20 },
      priority: -2,
      preemptible: true,
    });
    await h.deps.coordinator.tick();
    const first = (await h.call('POST', '/agent/lease', agent, { siteId: h.site.id })).body;
    expect(first).toMatchObject({ jobId: low.body.id, attempt: 1, runLimitSeconds: 1200 });
    await h.call('POST', '/agent/report', agent, {
      siteId: h.site.id,
      messageId: `${first.attemptId}:running`,
      jobId: low.body.id,
      leaseToken: first.leaseToken,
      state: 'running',
    });
    h.clock.advance(10 * 60_000);
    await h.call('POST', '/agent/heartbeat', agent, {
      siteId: h.site.id,
      leases: [{ jobId: low.body.id, leaseToken: first.leaseToken }],
    });
    const urgent = await h.call('POST', '/jobs', h.tokens['org-member'], {
      name: 'urgent',
      run: 'true',
      resources: { gpus: 4, timeLimitMinutes: 5 },
      priority: 5,
    });
    await h.deps.coordinator.tick();
    expect((await job(low.body.id)).state).toBe('queued');
    await h.call('POST', `/jobs/${urgent.body.id}/cancel`, h.tokens['org-member']);
    await h.deps.coordinator.tick();
    let second = (await h.call('POST', '/agent/lease', agent, { siteId: h.site.id })).body;
    while (second.jobId !== low.body.id)
      second = (await h.call('POST', '/agent/lease', agent, { siteId: h.site.id })).body;
    // 20 min less the 10 it ran, plus 5 to restore
    expect(second).toMatchObject({ attempt: 2, runLimitSeconds: 15 * 60 });
  });
});
