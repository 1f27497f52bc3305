/**
 * Fault test on the real `hk` cluster (the conformance suite uses `sz`, so stopping this controller disturbs no
 * other test file): slurmctld is stopped with SIGTERM while jobs are queued and restarted; the executor reports
 * the outage as a retryable error, never as a wrong state, and the jobs then complete.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { HetaoError } from '../../../core/index.js';
import { attemptOf, waitFor } from '../conformance.js';
import { describeWithSlurm, testCluster } from '../testing/slurm-test-env.js';
import { slurmPing } from './slurm-cli.js';
import { SlurmExecutor } from './slurm-executor.js';

const hk = testCluster('hk');
const run = promisify(execFile);
const env = { ...process.env, SLURM_CONF: hk.conf };
const pidFile = join(hk.root, 'run', 'slurmctld.pid');

function procState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

async function until(what: string, check: () => Promise<boolean> | boolean, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopController(): Promise<void> {
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  process.kill(pid, 'SIGTERM'); // SIGTERM: slurmctld saves its state first
  // PID 1 here reaps orphans late: a zombie counts as stopped.
  await until('slurmctld to stop', () => [undefined, 'Z', 'X'].includes(procState(pid)));
}

async function startController(): Promise<void> {
  if (!(await slurmPing(hk.conf, 2000))) await run('slurmctld', [], { env });
  await until('slurmctld to answer', () => slurmPing(hk.conf, 2000));
  await until('hk-n1 to be usable', async () =>
    /^(idle|mixed|alloc)/m.test((await run('sinfo', ['-hNo', '%T'], { env })).stdout),
  );
}

await describeWithSlurm('slurm executor survives a controller restart (hk)', hk, () => {
  it('raises HETAO_EXECUTOR_UNAVAILABLE during the outage; queued jobs complete after it', {
    timeout: 90_000,
  }, async () => {
    const jobsDir = join(hk.root, 'jobs', `restart-tests-${Date.now().toString(36)}`);
    mkdirSync(jobsDir, { recursive: true, mode: 0o1777 });
    const ex = new SlurmExecutor({ cluster: 'hk', conf: hk.conf, jobsDir, commandTimeoutMs: 15_000 });
    try {
      // All four GPUs per job: one runs, two wait in the queue.
      const handles = await Promise.all([1, 2, 3].map(() => ex.submit(attemptOf('sleep 2; echo done', { gpus: 4 }))));
      await waitFor(ex, handles[0]!, (s) => s.state === 'running');
      expect((await ex.status(handles[2]!)).state).toBe('pending');
      await stopController();

      const late = attemptOf('echo late >> runs.txt', { workDir: join(jobsDir, 'late') });
      const [statusErr, submitErr] = await Promise.all([
        ex.status(handles[1]!).catch((e: unknown) => e),
        ex.submit(late).catch((e: unknown) => e),
      ]);
      for (const err of [statusErr, submitErr]) {
        expect(err).toBeInstanceOf(HetaoError);
        expect((err as HetaoError).code).toBe('HETAO_EXECUTOR_UNAVAILABLE');
      }

      await startController();
      const lateHandle = await ex.submit(late); // the retry: submits once
      for (const h of [...handles, lateHandle])
        expect((await waitFor(ex, h, undefined, 40_000)).state).toBe('succeeded');
      expect(readFileSync(join(jobsDir, 'late', 'runs.txt'), 'utf8')).toBe('late\n');
      expect(await ex.submit(late)).toEqual(lateHandle);
    } finally {
      await startController();
      await ex.close();
    }
  });
});
