import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LOST_ATTEMPTS } from '../../exchange/index.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const agent = () => h.tokens['site-agent'];
const lease = async (jobId: string) => {
  const l = (await h.call('POST', '/agent/lease', agent(), { siteId: h.site.id })).body;
  expect(l.jobId).toBe(jobId);
  return l as { attemptId: string; leaseToken: number; attempt: number };
};
const report = (jobId: string, l: { attemptId: string; leaseToken: number }, state: string, extra: object = {}) =>
  h.call('POST', '/agent/report', agent(), {
    siteId: h.site.id,
    messageId: `${l.attemptId}:${state}`,
    jobId,
    leaseToken: l.leaseToken,
    state,
    ...extra,
  });
const job = async (id: string) => (await h.call('GET', `/jobs/${id}`, h.tokens['org-admin'])).body;

describe('an attempt the site loses', () => {
  it('goes back to the queue with its run kept, and the job fails once it has lost MAX_LOST_ATTEMPTS', async () => {
    const sub = await h.call('POST', '/jobs', h.tokens['org-member'], {
      name: 'lost-attempts',
      run: 'sleep 60',
      resources: { gpus: 1, timeLimitMinutes: 30 },
    });
    const id = sub.body.id as string;
    const before = (await h.ledgerEntries()).length;

    // Attempt 1 runs for a minute, then Slurm no longer knows it: requeued, the minute kept as a stopped run.
    await h.deps.coordinator.tick();
    const a1 = await lease(id);
    await report(id, a1, 'running');
    h.clock.advance(60_000);
    const lost1 = await report(id, a1, 'lost', { reason: 'no job 42 named hetao-x in squeue or the jobcomp file' });
    expect(lost1.status).toBe(200);
    expect(lost1.body).toMatchObject({ state: 'queued', placement: null });
    let j = await job(id);
    expect(j.waitingReason).toBe(`requeued: its attempt was lost at the site (1 of ${MAX_LOST_ATTEMPTS})`);
    expect(j.events.at(-1)).toMatchObject({
      from: 'running',
      to: 'queued',
      reason: `attempt lost at site ${h.site.id}: no job 42 named hetao-x in squeue or the jobcomp file`,
    });
    // The same report again changes nothing; the old lease can report nothing more.
    expect((await report(id, a1, 'lost')).body.state).toBe('queued');
    expect((await report(id, a1, 'failed', { exitCode: 1 })).body.code).toBe('HETAO_AGENT_FENCED');

    // Attempt 2 is lost before it starts (dispatched): requeued again.
    await h.deps.coordinator.tick();
    const a2 = await lease(id);
    expect(a2.attempt).toBe(2);
    expect((await report(id, a2, 'lost')).body.state).toBe('queued');

    // Attempt 3 is the last one a site may lose: the job fails, charged for the runs it had.
    await h.deps.coordinator.tick();
    const a3 = await lease(id);
    await report(id, a3, 'running');
    h.clock.advance(120_000);
    const failed = (await report(id, a3, 'lost', { reason: 'state removed' })).body;
    expect(MAX_LOST_ATTEMPTS).toBe(3);
    expect(failed).toMatchObject({ state: 'failed' });
    expect(failed.cost.gpuHours).toBeCloseTo(3 / 60, 6);
    j = await job(id);
    expect(j.events.at(-1)).toMatchObject({
      from: 'running',
      to: 'failed',
      reason: `attempt lost at site ${h.site.id}: state removed; 3 attempts lost, failed`,
    });
    const reasons = (await h.ledgerEntries())
      .slice(before)
      .filter((e) => e.type === 'job-state-change' && (e as { jobId?: string }).jobId === id)
      .map((e) => (e as { reason?: string }).reason);
    expect(reasons.filter((r) => r === 'attempt-lost')).toHaveLength(2);
    expect(reasons.at(-1)).toBe('attempts-lost');
  });

  it('is refused once the attempt has ended (its lease is gone), and with a reason past 1,024 characters', async () => {
    const sub = await h.call('POST', '/jobs', h.tokens['org-member'], { name: 'not-lost', run: 'true' });
    const id = sub.body.id as string;
    await h.deps.coordinator.tick();
    const a = await lease(id);
    const long = await report(id, a, 'lost', { reason: 'x'.repeat(1025) });
    expect(long.status).toBe(400);
    expect((await job(id)).state).toBe('dispatched');
    await report(id, a, 'running');
    await report(id, a, 'succeeded', { exitCode: 0 });
    const late = await h.call('POST', '/agent/report', agent(), {
      siteId: h.site.id,
      messageId: `${a.attemptId}:lost-late`,
      jobId: id,
      leaseToken: a.leaseToken,
      state: 'lost',
    });
    expect([late.status, late.body.code]).toEqual([409, 'HETAO_AGENT_FENCED']);
    expect((await job(id)).state).toBe('succeeded');
  });
});
