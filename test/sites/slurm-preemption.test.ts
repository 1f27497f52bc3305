/**
 * Preemption on the real `sz` Slurm cluster, through the exchange: a preemptible, checkpointing job holds all 8
 * GPUs at low priority; a higher-priority job of the same organization arrives. The exchange stops the first job
 * (its agent cancels the Slurm job, which saves a checkpoint on SIGTERM), starts the second, and runs the first
 * again afterwards as attempt 2, which resumes from the checkpoint. What happened is read from what the jobs
 * themselves wrote, not only from the exchange's view.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithSlurm, testCluster } from '../../src/sites/executors/testing/slurm-test-env.js';
import {
  cancelLeftovers,
  type SiteInfo,
  slurmExecutor,
  slurmJobsDir,
  startAgent,
  startTestExchange,
  type TestExchange,
} from './support/exchange-stack.js';

const sz = testCluster('sz');
let t: TestExchange;
let jobsDir: string;
let dir: string;
let stopAgent: (() => Promise<void>) | undefined;
const submitted: string[] = [];

const lines = (file: string): string[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];

async function until(what: string, check: () => boolean, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

await describeWithSlurm('preemption through the exchange on Slurm (sz)', sz, () => {
  beforeAll(async () => {
    t = await startTestExchange({ clusters: ['sz'] });
    jobsDir = slurmJobsDir(sz, 'sites-preemption');
    stopAgent = (await startAgent(t, t.seed.sites.sz as SiteInfo, slurmExecutor(sz, jobsDir))).stop;
    dir = mkdtempSync(join(tmpdir(), 'hetao-preempt-'));
    chmodSync(dir, 0o777);
  });

  afterAll(async () => {
    await cancelLeftovers(sz, submitted);
    await stopAgent?.();
    await t?.ex.close();
    if (t) rmSync(t.home, { recursive: true, force: true });
    if (jobsDir) rmSync(jobsDir, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stops the low-priority preemptible job in Slurm, runs the urgent one, then resumes the first from its checkpoint', {
    timeout: 120_000,
  }, async () => {
    const runs = join(dir, 'runs.txt');
    const ckpt = join(dir, 'step');
    // Twelve 1-second steps; the step reached is saved after each one and read back on start.
    const train = [
      `n=$(cat ${ckpt} 2>/dev/null || echo 0)`,
      `echo "start $HETAO_ATTEMPT $n" >> ${runs}`,
      `trap 'echo "stopped $HETAO_ATTEMPT $n" >> ${runs}; exit 143' TERM`,
      `while [ "$n" -lt 12 ]; do sleep 1; n=$((n+1)); echo $n > ${ckpt}; done`,
      `echo "end $HETAO_ATTEMPT $n" >> ${runs}`,
    ].join('\n');
    const low = await t.api.submit({
      name: 'sweep',
      run: train,
      resources: { gpus: 8, timeLimitMinutes: 10 },
      priority: -1,
      preemptible: true,
    });
    submitted.push(low.id);
    await t.api.waitFor(low.id, (j) => j.state === 'running');
    await until('a few steps of attempt 1', () => Number(lines(ckpt)[0] ?? 0) >= 3);

    const urgent = await t.api.submit({
      name: 'deadline',
      run: `echo "urgent" >> ${runs}; sleep 2`,
      resources: { gpus: 4, timeLimitMinutes: 5 },
      priority: 5,
    });
    submitted.push(urgent.id);
    expect((await t.api.waitFor(urgent.id)).state).toBe('succeeded');
    const done = await t.api.waitFor(low.id, undefined, 60_000);
    expect(done.state).toBe('succeeded');
    expect(done.attempt).toBe(2);
    expect(done.events.map((e: { to: string }) => e.to)).toEqual([
      'queued',
      'placed',
      'dispatched',
      'running',
      'queued',
      'placed',
      'dispatched',
      'running',
      'succeeded',
    ]);
    expect(done.events[4].reason).toMatch(/^preempted by job .* higher priority/);

    const seen = lines(runs);
    const words = seen.map((l) => l.split(' ').slice(0, 2).join(' '));
    // attempt 1 stopped before the urgent job ran; attempt 2 after it, never two at once
    expect(words).toEqual(['start 1', 'stopped 1', 'urgent', 'start 2', 'end 2']);
    const stoppedAt = Number(seen[1]?.split(' ')[2]);
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    // attempt 2 starts at the step attempt 1 saved (the step in progress at SIGTERM is lost, at most one)
    const resumedAt = Number(seen[3]?.split(' ')[2]);
    expect(resumedAt).toBeGreaterThanOrEqual(stoppedAt);
    expect(resumedAt).toBeLessThanOrEqual(stoppedAt + 1);
    expect(seen[4]).toBe('end 2 12');
  });
});
