import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Site } from '../../registry/index.js';
import { addCyberport, createHarness, type Harness } from '../testing/api-harness.js';

/**
 * A site agent acts for its own site alone: it learns nothing of another site's jobs, and cannot answer for or use
 * up another site's report ids (ids are predictable: `<attemptId>:<state>`).
 */
let h: Harness;
let hk: { site: Site; agent: string };
beforeEach(async () => {
  h = await createHarness();
  hk = await addCyberport(h);
});
afterEach(async () => h?.close());

/** An 8-GPU job of org A with a secret in its environment, placed and leased at the site it lands on. */
async function leasedJob(name: string): Promise<{ jobId: string; attemptId: string; leaseToken: number }> {
  const sub = await h.call('POST', '/jobs', h.tokens['org-member'], {
    name,
    run: 'python train.py',
    env: { API_KEY: 's3cr3t' },
    resources: { gpus: 8, timeLimitMinutes: 60 },
  });
  expect(sub.status).toBe(201);
  await h.deps.coordinator.tick();
  const placed = await h.call('GET', `/jobs/${sub.body.id}`, h.tokens['org-member']);
  const atQianhai = placed.body.placement.site === h.site.id;
  const token = atQianhai ? h.tokens['site-agent'] : hk.agent;
  const lease = await h.call('POST', '/agent/lease', token, { siteId: placed.body.placement.site });
  expect(lease.body.jobId).toBe(sub.body.id);
  return lease.body;
}

const report = (siteId: string, token: string, jobId: string, leaseToken: number, messageId: string, state: string) =>
  h.call('POST', '/agent/report', token, { siteId, messageId, jobId, leaseToken, state });

describe('site agents and other sites’ jobs', () => {
  it('refuses a report on another site’s job, even one replaying that site’s message id, and reveals nothing', async () => {
    const qh = await leasedJob('at-qianhai');
    const id = `${qh.attemptId}:running`;
    expect((await report(h.site.id, h.tokens['site-agent'], qh.jobId, qh.leaseToken, id, 'running')).status).toBe(200);

    const replayed = await report(hk.site.id, hk.agent, qh.jobId, qh.leaseToken, id, 'running');
    expect(replayed.status).toBe(403);
    expect(replayed.body.code).toBe('HETAO_AGENT_SITE');
    expect(JSON.stringify(replayed.body)).not.toMatch(/s3cr3t|train\.py|running|leaseToken|token 1/);
    // An unknown job is refused in the same words: no probing for which ids exist elsewhere.
    const unknown = await report(hk.site.id, hk.agent, 'job_01JUNKNOWN000000000000000', 1, 'job-x:running', 'running');
    expect([unknown.status, unknown.body.code]).toEqual([403, 'HETAO_AGENT_SITE']);
    const logs = await h.call('POST', '/agent/logs', hk.agent, {
      siteId: hk.site.id,
      jobId: qh.jobId,
      leaseToken: qh.leaseToken,
      offset: 0,
      text: 'forged\n',
    });
    expect([logs.status, logs.body.code]).toEqual([403, 'HETAO_AGENT_SITE']);
  });

  it('keeps each site’s message ids apart: one site using another’s next id does not swallow that report', async () => {
    const qh = await leasedJob('at-qianhai'); // fills Qianhai's 8 GPUs
    const cp = await leasedJob('at-cyberport');
    expect(cp).not.toMatchObject({ jobId: qh.jobId });
    // Cyberport reports on its own job under the id Qianhai's agent will use next.
    const stolen = `${qh.attemptId}:running`;
    expect((await report(hk.site.id, hk.agent, cp.jobId, cp.leaseToken, stolen, 'running')).body.state).toBe('running');
    const genuine = await report(h.site.id, h.tokens['site-agent'], qh.jobId, qh.leaseToken, stolen, 'running');
    expect(genuine.status).toBe(200);
    expect(genuine.body.state).toBe('running');
    expect((await h.store.jobs.getJob(qh.jobId))?.state).toBe('running');
    // A genuine retry of Qianhai's own report is still answered once and changes nothing.
    const again = await report(h.site.id, h.tokens['site-agent'], qh.jobId, qh.leaseToken, stolen, 'running');
    expect([again.status, again.body.state]).toEqual([200, 'running']);
  });
});
