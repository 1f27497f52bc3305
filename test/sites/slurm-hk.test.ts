/**
 * The tests that need the `hk` cluster, one after the other:
 *   - the demo with HETAO_EXECUTOR=slurm: the Shenzhen demo site's jobs run on `sz`, the Hong Kong one's on `hk`;
 *   - hk's slurmctld is stopped (SIGTERM) while jobs are queued and started again: they all complete, once each.
 * src/sites/executors/slurm/slurm-controller-restart.test.ts also restarts hk's controller. So that the two never
 * overlap, this file stops the controller only under a lock file and only once hk runs no job but its own (the
 * other test always has jobs queued or running between its first submit and its end), and keeps the outage to a
 * few seconds (an sbatch of the other test retries for ~9 s).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startExchange } from '../../src/app/exchange.js';
import { loadConfig } from '../../src/config/index.js';
import {
  lockController,
  startController,
  stopController,
  until,
} from '../../src/sites/executors/testing/controller.js';
import { describeWithSlurm, testCluster } from '../../src/sites/executors/testing/slurm-test-env.js';
import {
  cancelLeftovers,
  type JobJson,
  JobsApi,
  type SiteInfo,
  slurmCmd,
  slurmExecutor,
  slurmJobsDir,
  slurmJobsOf,
  startAgent,
  startTestExchange,
  TERMINAL,
} from './support/exchange-stack.js';

const hk = testCluster('hk');
const sz = testCluster('sz');
const _run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
const submitted: string[] = [];

/** Waits until hk answers and runs no pending or running job other than these exchange jobs. */
async function hkIdleBut(jobIds: readonly string[]): Promise<void> {
  await until(
    'hk to run nothing but this test',
    async () => {
      const out = await slurmCmd(hk, 'squeue', ['-h', '-t', 'PD,R,CG', '-o', '%j']);
      return out
        .split('\n')
        .filter(Boolean)
        .every((name) => jobIds.some((id) => name.startsWith(`hetao-${id}-`)));
    },
    120_000,
  );
}

await describeWithSlurm('sites on the hk cluster (demo on Slurm; controller restart)', hk, () => {
  // hk to ourselves for the whole file: the executor's controller-restart test uses (and restarts) it too.
  beforeAll(async () => {
    cleanups.push(await lockController(hk));
  }, 300_000);
  afterAll(async () => {
    await cancelLeftovers(hk, submitted);
    await cancelLeftovers(sz, submitted);
    for (const c of cleanups.reverse()) await c();
  });

  it('HETAO_EXECUTOR=slurm: the Shenzhen demo site submits to sz, the Hong Kong one to hk', {
    timeout: 60_000,
  }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'hetao-sites-demo-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const config = loadConfig({
      HETAO_HOME: home,
      HETAO_PORT: '0',
      HETAO_EXECUTOR: 'slurm',
      HETAO_SLURM_SZ_CONF: sz.conf,
      HETAO_SLURM_HK_CONF: hk.conf,
    });
    const ex = await startExchange(config, pino({ level: 'silent' }));
    cleanups.push(() => ex.close());
    const creds = JSON.parse(readFileSync(join(home, 'demo-credentials.json'), 'utf8')) as {
      tokens: { role: string; token: string }[];
    };
    const jobs = new Map<string, JobJson>();
    const apis = creds.tokens.filter((t) => t.role === 'org-admin').map((t) => new JobsApi(ex.url, t.token));
    for (const api of apis) for (const j of (await api.call('GET', '/jobs')).body.items ?? []) jobs.set(j.id, api);
    submitted.push(...jobs.keys());
    expect(jobs.size).toBeGreaterThanOrEqual(2);
    const ended: JobJson[] = [];
    for (const [id, api] of jobs)
      ended.push(await (api as JobsApi).waitFor(id, (j) => TERMINAL.includes(j.state), 45_000));
    const clusterOf: Record<string, string> = {
      'Qianhai Shenzhen–Hong Kong AI Compute Centre': 'sz',
      'Cyberport AI Supercomputing Centre': 'hk',
    };
    for (const j of ended) {
      expect(j.state, j.name).toBe('succeeded');
      expect(j.execution, j.name).toMatchObject({ executor: 'slurm', cluster: clusterOf[j.placement.siteName] });
      expect(j.execution.slurmJobId, j.name).toEqual(expect.any(Number));
      expect(await (jobs.get(j.id) as JobsApi).logs(j.id), j.name).toContain('held-out accuracy');
      const names = await slurmCmd(j.execution.cluster === 'hk' ? hk : sz, 'squeue', [
        '-h',
        '-t',
        'all',
        '-j',
        String(j.execution.slurmJobId),
        '-o',
        '%j',
      ]);
      expect(names.trim()).toBe(`hetao-${j.id}-1`);
    }
    expect(new Set(ended.map((j) => j.execution.cluster))).toEqual(new Set(['sz', 'hk']));
    await ex.close();
  });

  it('slurmctld stopped and restarted while jobs are queued: they all complete, once each', {
    timeout: 150_000,
  }, async () => {
    const t = await startTestExchange({ clusters: ['hk'] });
    cleanups.push(() => rmSync(t.home, { recursive: true, force: true }));
    cleanups.push(() => t.ex.close());
    const site = t.seed.sites.hk as SiteInfo;
    const jobsDir = slurmJobsDir(hk, 'sites-ctld');
    cleanups.push(() => rmSync(jobsDir, { recursive: true, force: true }));
    const runsDir = mkdtempSync(join(tmpdir(), 'hetao-sites-runs-'));
    chmodSync(runsDir, 0o777);
    cleanups.push(() => rmSync(runsDir, { recursive: true, force: true }));
    const runs = join(runsDir, 'runs.txt');
    const agent = await startAgent(t, site, slurmExecutor(hk, jobsDir));
    cleanups.push(() => agent.stop());

    const spec = (i: number) => ({
      name: `ctld-${i}`,
      resources: { gpus: 2, timeLimitMinutes: 5 },
      run: `echo "$HETAO_JOB_ID $HETAO_ATTEMPT" >> ${runs}; sleep 2`,
    });
    const first = await t.api.submit(spec(0));
    submitted.push(first.id);
    await t.api.waitFor(first.id, (j) => j.state === 'running');
    await hkIdleBut([first.id]);
    try {
      await stopController(hk);
      // Submitted during the outage: placed and leased; the agent's sbatch fails as unavailable and is retried.
      const queued = await Promise.all([1, 2, 3].map((i) => t.api.submit(spec(i))));
      submitted.push(...queued.map((j) => j.id));
      await until('the queued jobs to be leased', async () =>
        (await Promise.all(queued.map((j) => t.api.job(j.id)))).some((j) => j.state === 'dispatched'),
      );
      await new Promise((r) => setTimeout(r, 1500)); // some of the agent's calls fail against the stopped controller
    } finally {
      await startController(hk);
    }
    const ids = [first.id, ...submitted.slice(-3)];
    for (const id of ids) {
      const done = await t.api.waitFor(id, undefined, 60_000);
      expect(done.state, id).toBe('succeeded');
      expect(done.attempt, id).toBe(1);
      expect(done.execution).toMatchObject({ executor: 'slurm', cluster: 'hk' });
    }
    const lines = readFileSync(runs, 'utf8').split('\n').filter(Boolean);
    expect(lines.sort()).toEqual(ids.map((id) => `${id} 1`).sort());
    expect((await slurmJobsOf(hk, ids)).length).toBe(4);
  });
});
