/**
 * What Hetao adds on top of an executor: the same trivial job (`true`) measured in one run, once through the
 * executor alone and once end to end through an in-process exchange (HTTP API -> scheduler tick -> lease long
 * poll -> site agent -> executor -> agent reports), for the local executor and for Slurm (`sz`).
 *   sites.latency     submit -> running and submit -> succeeded, p50/p99 over RUNS sequential jobs. Executor
 *                     alone: status polled on the agent's own schedule (statusCheckDelayMs: right after submit,
 *                     then 25, 50, 100 ms, then every POLL_MS);
 *                     "running" is the first poll not pending. Through the exchange: from just before POST
 *                     /jobs to the exchange's `running` / `succeeded` transitions (same machine clock).
 *                     `overheadP50Ms` = through-exchange p50 - executor-alone p50.
 *   sites.throughput  JOBS submitted back to back, then followed until all ended: jobs/s from the first submit
 *                     to the last end, executor alone (status rounds every POLL_MS, 4 calls at a time) and
 *                     through the exchange (one agent).
 * Without the sz cluster (scripts/services-up.sh) the Slurm lines carry `skipped`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statusCheckDelayMs } from '../src/sites/agent/site-agent.js';
import { testCluster } from '../src/sites/executors/testing/slurm-test-env.js';
import {
  createExecutor,
  type ExecutionHandle,
  type ExecutionStatus,
  type Executor,
  isTerminal,
  slurmPing,
} from '../src/sites/index.js';
import {
  type JobJson,
  type SiteInfo,
  slurmJobsDir,
  startAgent,
  startTestExchange,
  TERMINAL,
  type TestExchange,
} from '../test/sites/support/exchange-stack.js';
import type { Emit } from './run.js';

const RUNS = Number(process.env.HETAO_BENCH_SITES_RUNS ?? 20);
const JOBS = Number(process.env.HETAO_BENCH_SITES_JOBS ?? 40);
/** The agent's default poll interval (SiteAgentOptions.pollMs). */
const POLL_MS = 200;
const tag = Date.now().toString(36);
let seq = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number) => Math.round(x * 100) / 100;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number);
}

function summary(toRunning: number[], toDone: number[]) {
  return {
    toRunningP50Ms: pct(toRunning, 50),
    toRunningP99Ms: pct(toRunning, 99),
    toSucceededP50Ms: pct(toDone, 50),
    toSucceededP99Ms: pct(toDone, 99),
  };
}

const attempt = () => ({
  attemptId: `sbench-${tag}-${++seq}`,
  jobId: `sbench-${tag}`,
  command: 'true',
  gpus: 0,
  cpus: 1,
  memoryGb: 0.1,
  timeLimitSeconds: 300,
});

async function executorLatency(ex: Executor) {
  const toRunning: number[] = [];
  const toDone: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = Date.now();
    const h = await ex.submit(attempt());
    let running: number | undefined;
    for (let n = 0; ; n++) {
      await sleep(statusCheckDelayMs(n, POLL_MS));
      const s = await ex.status(h);
      if (s.state !== 'pending') running ??= Date.now() - t0;
      if (isTerminal(s.state)) {
        if (s.state !== 'succeeded') throw new Error(`bench job ${h.marker} ended ${s.state}`);
        toDone.push(Date.now() - t0);
        toRunning.push(running ?? Date.now() - t0);
        break;
      }
    }
  }
  return summary(toRunning, toDone);
}

async function executorThroughput(ex: Executor) {
  const t0 = Date.now();
  const handles: ExecutionHandle[] = [];
  for (let i = 0; i < JOBS; i++) handles.push(await ex.submit(attempt()));
  let open = handles;
  while (open.length > 0) {
    const states: ExecutionStatus[] = [];
    for (let i = 0; i < open.length; i += 4)
      states.push(...(await Promise.all(open.slice(i, i + 4).map((h) => ex.status(h)))));
    const bad = states.find((s) => isTerminal(s.state) && s.state !== 'succeeded');
    if (bad) throw new Error(`bench job ended ${bad.state}`);
    open = open.filter((_, i) => !isTerminal(states[i]?.state ?? 'running'));
    if (open.length > 0) await sleep(POLL_MS);
  }
  const wallS = (Date.now() - t0) / 1000;
  return { jobsPerS: round(JOBS / wallS), wallS: round(wallS) };
}

const spec = (i: number) => ({ name: `bench-${i}`, run: 'true', resources: { cpus: 1, memoryGb: 0.1 } });
const eventAt = (j: JobJson, to: string): number => j.events.find((e: { to: string }) => e.to === to)?.at;

async function waitEnded(t: TestExchange, id: string): Promise<JobJson> {
  for (;;) {
    const j = await t.api.job(id);
    if (TERMINAL.includes(j.state)) {
      if (j.state !== 'succeeded') throw new Error(`bench job ${id} ended ${j.state}`);
      return j;
    }
    await sleep(10);
  }
}

async function exchangeLatency(t: TestExchange, runs = RUNS) {
  const toRunning: number[] = [];
  const toDone: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    const job = await t.api.submit(spec(i));
    const done = await waitEnded(t, job.id);
    toRunning.push(eventAt(done, 'running') - t0);
    toDone.push(eventAt(done, 'succeeded') - t0);
  }
  return summary(toRunning, toDone);
}

async function exchangeThroughput(t: TestExchange) {
  const t0 = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < JOBS; i++) ids.push((await t.api.submit(spec(i))).id);
  let last = 0;
  for (const id of ids) last = Math.max(last, eventAt(await waitEnded(t, id), 'succeeded'));
  const wallS = (last - t0) / 1000;
  return { jobsPerS: round(JOBS / wallS), wallS: round(wallS) };
}

async function measure(emit: Emit, kind: 'local' | 'slurm', make: () => Executor, extra: Record<string, unknown>) {
  const alone = make();
  const aloneLatency = await executorLatency(alone);
  const aloneThroughput = await executorThroughput(alone);
  await alone.close();

  const t = await startTestExchange({ clusters: ['sz'] });
  const agent = await startAgent(t, t.seed.sites.sz as SiteInfo, make());
  try {
    await exchangeLatency(t, 3); // warm-up: first requests, JIT
    const through = await exchangeLatency(t);
    emit({
      bench: 'sites.latency',
      executor: kind,
      ...extra,
      runs: RUNS,
      pollMs: POLL_MS,
      executorAlone: aloneLatency,
      throughExchange: through,
      overheadP50Ms: {
        toRunning: through.toRunningP50Ms - aloneLatency.toRunningP50Ms,
        toSucceeded: through.toSucceededP50Ms - aloneLatency.toSucceededP50Ms,
      },
    });
    emit({
      bench: 'sites.throughput',
      executor: kind,
      ...extra,
      jobs: JOBS,
      executorAlone: aloneThroughput,
      throughExchange: await exchangeThroughput(t),
    });
  } finally {
    await agent.stop();
    await t.ex.close();
    rmSync(t.home, { recursive: true, force: true });
  }
}

export default async function sitesBench(emit: Emit): Promise<void> {
  const base = mkdtempSync(join(tmpdir(), 'hetao-bench-sites-'));
  try {
    await measure(emit, 'local', () => createExecutor('local', { baseDir: base, gpus: 8 }), {});
  } finally {
    rmSync(base, { recursive: true, force: true });
  }

  const sz = testCluster('sz');
  if (!(await slurmPing(sz.conf))) {
    const skipped = `Slurm (${sz.conf}) not reachable; start it with sudo scripts/services-up.sh slurm`;
    emit({ bench: 'sites.latency', executor: 'slurm', skipped });
    emit({ bench: 'sites.throughput', executor: 'slurm', skipped });
    return;
  }
  const jobsDir = slurmJobsDir(sz, 'bench-sites');
  try {
    await measure(emit, 'slurm', () => createExecutor('slurm', { cluster: 'sz', conf: sz.conf, jobsDir }), {
      cluster: 'sz',
    });
  } finally {
    rmSync(jobsDir, { recursive: true, force: true });
  }
}
