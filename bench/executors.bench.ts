/**
 * Executor-only figures (no exchange, no agent): how fast a trivial job (`true`) goes through each executor.
 *   executors.latency     submit -> running and submit -> succeeded, p50/p99 over RUNS sequential jobs. "Running"
 *                         is the first poll that shows the job no longer pending (a job can finish between two
 *                         polls). Status is polled every POLL_MS; each Slurm poll is one squeue (+ one sacct
 *                         -c once ended), so the Slurm figures include those commands' own time.
 *   executors.throughput  JOBS submitted back to back, then polled (4 status calls at a time, rounds 50 ms apart)
 *                         until all ended: jobs/s from the first submit to the last end, and the submit rate alone.
 * Slurm runs on the local `sz` cluster (scripts/services-up.sh; HETAO_SLURM_SZ_CONF overrides); without it the
 * Slurm lines carry `skipped`. Slurm's own floor here is about 0.3 s per job (batch_sched_delay=0).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  type Attempt,
  createExecutor,
  type ExecutionHandle,
  type Executor,
  isTerminal,
  slurmPing,
} from '../src/sites/executors/index.js';
import { followToEnd } from './follow-jobs.js';
import type { Emit } from './run.js';

const RUNS = 30;
const JOBS = 50;
const POLL_MS = 10;
const tag = Date.now().toString(36);
let seq = 0;

const attempt = (): Attempt => ({
  attemptId: `bench-${tag}-${++seq}`,
  jobId: `bench-${tag}`,
  command: 'true',
  gpus: 0,
  cpus: 1,
  memoryGb: 0.1,
  timeLimitSeconds: 300,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number);
}

async function latency(ex: Executor): Promise<Record<string, number>> {
  const toRunning: number[] = [];
  const toDone: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const h = await ex.submit(attempt());
    let running: number | undefined;
    for (;;) {
      const s = await ex.status(h);
      if (s.state !== 'pending') running ??= performance.now() - t0;
      if (isTerminal(s.state)) {
        if (s.state !== 'succeeded') throw new Error(`bench job ${h.marker} ended ${s.state}`);
        toDone.push(performance.now() - t0);
        toRunning.push(running ?? performance.now() - t0);
        break;
      }
      await sleep(POLL_MS);
    }
  }
  return {
    runs: RUNS,
    pollMs: POLL_MS,
    toRunningP50Ms: pct(toRunning, 50),
    toRunningP99Ms: pct(toRunning, 99),
    toSucceededP50Ms: pct(toDone, 50),
    toSucceededP99Ms: pct(toDone, 99),
  };
}

async function throughput(ex: Executor): Promise<Record<string, number>> {
  const t0 = performance.now();
  const handles: ExecutionHandle[] = [];
  for (let i = 0; i < JOBS; i++) handles.push(await ex.submit(attempt()));
  const submitS = (performance.now() - t0) / 1000;
  await followToEnd(ex, handles, POLL_MS * 5);
  const wallS = (performance.now() - t0) / 1000;
  return { jobs: JOBS, submitPerS: round(JOBS / submitS), jobsPerS: round(JOBS / wallS), wallS: round(wallS) };
}

const round = (x: number) => Math.round(x * 100) / 100;

export default async function executorsBench(emit: Emit): Promise<void> {
  const local = createExecutor('local', { baseDir: mkdtempSync(join(tmpdir(), 'hetao-bench-local-')), gpus: 8 });
  emit({ bench: 'executors.latency', executor: 'local', ...(await latency(local)) });
  emit({ bench: 'executors.throughput', executor: 'local', ...(await throughput(local)) });
  await local.close();

  const conf = process.env.HETAO_SLURM_SZ_CONF ?? '/tmp/hetao-slurm/sz/etc/slurm.conf';
  if (!(await slurmPing(conf))) {
    const skipped = `Slurm (${conf}) not reachable; start it with sudo scripts/services-up.sh slurm`;
    emit({ bench: 'executors.latency', executor: 'slurm', skipped });
    emit({ bench: 'executors.throughput', executor: 'slurm', skipped });
    return;
  }
  const jobsDir = join(dirname(dirname(conf)), 'jobs', `bench-${tag}`);
  mkdirSync(jobsDir, { recursive: true, mode: 0o1777 });
  const slurm = createExecutor('slurm', { cluster: 'sz', conf, jobsDir });
  emit({ bench: 'executors.latency', executor: 'slurm', cluster: 'sz', ...(await latency(slurm)) });
  emit({ bench: 'executors.throughput', executor: 'slurm', cluster: 'sz', ...(await throughput(slurm)) });
  await slurm.close();
}
