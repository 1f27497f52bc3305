/**
 * Jobs through the whole product on the real `sz` Slurm cluster (scripts/services-up.sh): user -> exchange API ->
 * scheduler -> site agent (lease, sbatch, report) -> job detail and logs. The cases run concurrently, so the
 * time-limit case (Slurm's minimum limit is one minute, plus up to ~30 s for its checker) bounds the file.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithSlurm, testCluster } from '../../src/sites/executors/testing/slurm-test-env.js';
import {
  cancelLeftovers,
  type SiteInfo,
  slurmCmd,
  slurmExecutor,
  slurmJobsDir,
  startAgent,
  startTestExchange,
  type TestExchange,
} from './support/exchange-stack.js';

const sz = testCluster('sz');
let t: TestExchange;
let site: SiteInfo;
let jobsDir: string;
let stopAgent: (() => Promise<void>) | undefined;
const submitted: string[] = [];

const submit = async (spec: Record<string, unknown>) => {
  const job = await t.api.submit(spec);
  submitted.push(job.id);
  return job;
};

await describeWithSlurm('jobs through the exchange on Slurm (sz)', sz, () => {
  beforeAll(async () => {
    t = await startTestExchange({ clusters: ['sz'] });
    site = t.seed.sites.sz as SiteInfo;
    jobsDir = slurmJobsDir(sz, 'sites-jobs');
    stopAgent = (await startAgent(t, site, slurmExecutor(sz, jobsDir))).stop;
  });

  afterAll(async () => {
    await cancelLeftovers(sz, submitted);
    await stopAgent?.();
    await t?.ex.close();
    if (t) rmSync(t.home, { recursive: true, force: true });
    if (jobsDir) rmSync(jobsDir, { recursive: true, force: true });
  });

  it.concurrent('a 2-GPU job runs on the chosen cluster, sees two devices, and shows its Slurm execution', async () => {
    const job = await submit({
      name: 'two-gpus',
      resources: { gpus: 2, timeLimitMinutes: 5 },
      run: 'echo "devices=$CUDA_VISIBLE_DEVICES cluster=$SLURM_CLUSTER_NAME slurm=$SLURM_JOB_ID"',
    });
    const done = await t.api.waitFor(job.id);
    expect(done.state).toBe('succeeded');
    expect(done.placement.site).toBe(site.id);
    expect(done.execution).toMatchObject({ executor: 'slurm', cluster: 'sz', exitCode: 0 });
    expect(done.execution.slurmJobId).toEqual(expect.any(Number));
    const logs = await t.api.logs(job.id);
    const m = /devices=(\S*) cluster=(\S*) slurm=(\d+)/.exec(logs);
    expect(m, logs).not.toBeNull();
    expect(m?.[1]?.split(',')).toHaveLength(2);
    expect(m?.[2]).toBe('sz');
    expect(Number(m?.[3])).toBe(done.execution.slurmJobId);
    // Slurm itself granted the two GPUs to that job.
    const gres = await slurmCmd(sz, 'squeue', ['-h', '-t', 'all', '-j', String(done.execution.slurmJobId), '-o', '%b']);
    expect(gres.trim()).toBe('gres:gpu:2');
  });

  it.concurrent('a failing job ends failed with its exit code and its output', async () => {
    const job = await submit({ name: 'fails', run: 'echo about to fail; exit 3', resources: { timeLimitMinutes: 5 } });
    const done = await t.api.waitFor(job.id);
    expect(done.state).toBe('failed');
    expect(done.execution).toMatchObject({ executor: 'slurm', cluster: 'sz', exitCode: 3 });
    expect(await t.api.logs(job.id)).toContain('about to fail');
  });

  it.concurrent('a cancelled job is cancelled in Slurm (squeue and sacct -c say CANCELLED)', async () => {
    const job = await submit({
      name: 'cancel-me',
      run: 'echo started; sleep 300',
      resources: { timeLimitMinutes: 10 },
    });
    const running = await t.api.waitFor(job.id, (j) => j.state === 'running');
    const slurmId = String(running.execution.slurmJobId);
    expect((await t.api.cancel(job.id)).state).toBe('cancelled');
    const deadline = Date.now() + 20_000;
    let squeue = '';
    while (Date.now() < deadline) {
      squeue = await slurmCmd(sz, 'squeue', ['-h', '-t', 'all', '-j', slurmId, '-o', '%j|%T']);
      if (squeue.includes('CANCELLED')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(squeue).toBe(`hetao-${job.id}-1|CANCELLED\n`);
    const sacct = await slurmCmd(sz, 'sacct', ['-c', '-P', '-n', '-j', slurmId, '-o', 'jobname,state']);
    expect(sacct).toMatch(new RegExp(`^hetao-${job.id}-1\\|CANCELLED`, 'm'));
    expect((await t.api.job(job.id)).state).toBe('cancelled');
  });

  it.concurrent('a job past its time limit ends timed-out (Slurm minimum: 1 minute)', {
    timeout: 150_000,
  }, async () => {
    const job = await submit({ name: 'too-long', run: 'sleep 600', resources: { timeLimitMinutes: 1 } });
    const done = await t.api.waitFor(job.id, undefined, 140_000, 500);
    expect(done.state).toBe('timed-out');
    expect(done.execution).toMatchObject({ executor: 'slurm', cluster: 'sz' });
  });
});
