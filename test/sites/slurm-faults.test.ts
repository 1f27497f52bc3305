/**
 * Faults on the real `sz` Slurm cluster, through the exchange. Every job appends a line to a runs file when it
 * starts (and when it ends), so "ran exactly once" and "never twice at the same time" are read from what the
 * jobs themselves did, not from what the exchange believes.
 *   - the standalone agent process is killed with SIGKILL mid-job and restarted: it re-attaches to the running
 *     Slurm job, which completes once;
 *   - the agent stays dead past the lease: the exchange requeues the job (site lost); when an agent comes back it
 *     runs attempt 2 only after attempt 1 was stopped in Slurm;
 *   - the exchange is closed while jobs run on Slurm and started again on the same home: nothing lost or doubled.
 * The cases run concurrently, each with its own exchange and jobs dir.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LEASE_GRACE_MS, LEASE_TTL_MS } from '../../src/exchange/scheduling-tick.js';
import { describeWithSlurm, testCluster } from '../../src/sites/executors/testing/slurm-test-env.js';
import {
  cancelLeftovers,
  freePort,
  killHard,
  type SiteInfo,
  slurmExecutor,
  slurmJobsDir,
  slurmJobsOf,
  spawnAgentProcess,
  startAgent,
  startTestExchange,
  type TestExchange,
} from './support/exchange-stack.js';

const sz = testCluster('sz');
const cleanups: (() => Promise<void> | void)[] = [];
const submitted: string[] = [];

/** A dir under /tmp the Slurm jobs (run by slurmd) and this process both see. */
function runsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hetao-sites-runs-'));
  chmodSync(dir, 0o777);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

async function until(what: string, check: () => boolean | Promise<boolean>, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function exchange(opts: { port?: number; home?: string } = {}): Promise<TestExchange> {
  const t = await startTestExchange({ clusters: ['sz'], ...opts });
  cleanups.push(() => t.ex.close());
  return t;
}

/** An exchange and a standalone agent process for sz (its own jobs dir and state home), and a runs file. */
async function exchangeWithAgentProcess(label: string) {
  const t = await exchange();
  const site = t.seed.sites.sz as SiteInfo;
  const jobsDir = slurmJobsDir(sz, label);
  const agentHome = mkdtempSync(join(tmpdir(), 'hetao-sites-agent-'));
  cleanups.push(() => rmSync(agentHome, { recursive: true, force: true }));
  const runs = join(runsDir(), 'runs.txt');
  const spawn = async () => {
    const agent = await spawnAgentProcess(t.url, site, sz, jobsDir, agentHome);
    cleanups.push(() => killHard(agent));
    return agent;
  };
  return { t, runs, agent: await spawn(), spawn };
}

await describeWithSlurm('faults through the exchange on Slurm (sz)', sz, () => {
  afterAll(async () => {
    await cancelLeftovers(sz, submitted);
    for (const c of cleanups.reverse()) await c();
  });

  it.concurrent('kill -9 of the agent mid-job: the restarted agent re-attaches; the job runs once', {
    timeout: 90_000,
  }, async () => {
    const { t, runs, spawn, agent: first } = await exchangeWithAgentProcess('sites-kill9');
    let agent = first;

    const job = await t.api.submit({
      name: 'survives-agent-crash',
      resources: { gpus: 1, timeLimitMinutes: 5 },
      run: `echo "start $HETAO_ATTEMPT $(date +%s%N)" >> ${runs}; sleep 6; echo "end $HETAO_ATTEMPT" >> ${runs}; echo ok`,
    });
    submitted.push(job.id);
    const running = await t.api.waitFor(job.id, (j) => j.state === 'running');
    await until('the job to start', () => lines(runs).length === 1);
    await killHard(agent);
    expect(lines(runs)).toHaveLength(1); // still running in Slurm, unsupervised

    agent = await spawn();
    expect(agent.output()).toContain('re-attached');
    const done = await t.api.waitFor(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.attempt).toBe(1);
    expect(done.execution.slurmJobId).toBe(running.execution.slurmJobId);
    expect(lines(runs).map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual(['start 1', 'end 1']);
    expect(await t.api.logs(job.id)).toContain('ok');
    expect((await slurmJobsOf(sz, [job.id])).map((r) => r.name)).toEqual([`hetao-${job.id}-1`]);
  });

  it.concurrent('agent dead past its lease: the job is requeued, and attempt 2 starts only after attempt 1 was stopped', {
    timeout: 120_000,
  }, async () => {
    const { t, runs, spawn, agent: first } = await exchangeWithAgentProcess('sites-lost');
    let agent = first;

    // Attempt 1 would outlive the whole test; a later attempt finishes quickly.
    const job = await t.api.submit({
      name: 'site-lost',
      resources: { gpus: 1, timeLimitMinutes: 5 },
      run: `echo "start $HETAO_ATTEMPT" >> ${runs}; if [ "$HETAO_ATTEMPT" = 1 ]; then sleep 300; else sleep 1; fi; echo "end $HETAO_ATTEMPT" >> ${runs}`,
    });
    submitted.push(job.id);
    await t.api.waitFor(job.id, (j) => j.state === 'running');
    await until('attempt 1 to start', () => lines(runs).length === 1);
    await killHard(agent);
    // No heartbeat for a lease and its grace: the exchange's tick requeues the job and places it again.
    const requeued = await t.api.waitFor(
      job.id,
      (j) => j.events?.some((e: { to: string; reason: string }) => e.to === 'queued' && /lost/.test(e.reason)),
      LEASE_TTL_MS + LEASE_GRACE_MS + 15_000,
      500,
    );
    expect(requeued.attempt).toBe(1);
    expect((await slurmJobsOf(sz, [job.id])).map((r) => r.state)).toEqual(['RUNNING']); // the orphan

    agent = await spawn();
    const done = await t.api.waitFor(job.id, undefined, 40_000);
    expect(done.state).toBe('succeeded');
    expect(done.attempt).toBe(2);
    const slurmJobs = await slurmJobsOf(sz, [job.id]);
    expect(Object.fromEntries(slurmJobs.map((r) => [r.name, r.state]))).toEqual({
      [`hetao-${job.id}-1`]: 'CANCELLED',
      [`hetao-${job.id}-2`]: 'COMPLETED',
    });
    expect(lines(runs)).toEqual(['start 1', 'start 2', 'end 2']);
  });

  it.concurrent('the exchange restarts while jobs run on Slurm: every job completes, each ran once', {
    timeout: 90_000,
  }, async () => {
    const port = await freePort();
    let t = await exchange({ port });
    const site = t.seed.sites.sz as SiteInfo;
    const jobsDir = slurmJobsDir(sz, 'sites-xrestart');
    const runs = join(runsDir(), 'runs.txt');
    const agent = await startAgent(t, site, slurmExecutor(sz, jobsDir));
    cleanups.push(() => agent.stop());

    // 3 jobs x 4 GPUs on 8: two run in Slurm, the third waits in the exchange's queue.
    const jobs = await Promise.all(
      [1, 2, 3].map((i) =>
        t.api.submit({
          name: `restart-${i}`,
          resources: { gpus: 4, timeLimitMinutes: 5 },
          run: `echo "$HETAO_JOB_ID $HETAO_ATTEMPT" >> ${runs}; sleep 3`,
        }),
      ),
    );
    submitted.push(...jobs.map((j) => j.id));
    const ids = jobs.map((j) => j.id as string);
    await until('two jobs to run', async () => {
      const states = await Promise.all(ids.map(async (id) => (await t.api.job(id)).state));
      return states.filter((s) => s === 'running').length === 2;
    });
    await t.ex.close();
    await until('a job to end in Slurm while the exchange is down', async () =>
      (await slurmJobsOf(sz, ids)).some((r) => r.state === 'COMPLETED'),
    );

    t = await exchange({ port, home: t.home });
    for (const id of ids) {
      const done = await t.api.waitFor(id, undefined, 40_000);
      expect(done.state, id).toBe('succeeded');
      expect(done.attempt, id).toBe(1);
    }
    expect(lines(runs).sort()).toEqual(ids.map((id) => `${id} 1`).sort());
    expect((await slurmJobsOf(sz, ids)).map((r) => r.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
  });
});
