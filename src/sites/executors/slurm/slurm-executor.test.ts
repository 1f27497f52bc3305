import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { executorConformance } from '../conformance.js';
import type { ExecutionHandle } from '../executor.js';
import { describeWithSlurm, testCluster } from '../testing/slurm-test-env.js';
import { SlurmExecutor } from './slurm-executor.js';

const sz = testCluster('sz');
const jobsDir = join(sz.root, 'jobs', `executor-tests-${Date.now().toString(36)}`);

function slurm(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { env: { ...process.env, SLURM_CONF: sz.conf }, encoding: 'utf8' });
}

await describeWithSlurm('slurm executor (sz)', sz, () => {
  beforeAll(() => {
    mkdirSync(jobsDir, { recursive: true, mode: 0o1777 });
  });
  executorConformance(() => ({
    name: 'slurm',
    make: () => new SlurmExecutor({ cluster: 'sz', conf: sz.conf, jobsDir }),
    scratchDir: join(jobsDir, 'scratch'),
    shortLimitSeconds: 60, // Slurm's smallest limit is one minute; its checker adds up to ~30 s
    timeoutWithinMs: 120_000,
    async afterCancel(h: ExecutionHandle) {
      const id = h.slurmJobId as string;
      expect(slurm('squeue', ['-h', '-t', 'all', '-j', id, '-o', '%j|%T'])).toBe(`${h.marker}|CANCELLED\n`);
      expect(slurm('sacct', ['-c', '-P', '-n', '-j', id, '-o', 'jobname,state'])).toMatch(
        new RegExp(`^${h.marker.replaceAll('.', '\\.')}\\|CANCELLED`, 'm'),
      );
    },
  }));

  it('marks the Slurm job with the attempt marker (name and comment)', async () => {
    const ex = new SlurmExecutor({ cluster: 'sz', conf: sz.conf, jobsDir });
    const h = await ex.submit({
      attemptId: `mark-${Date.now().toString(36)}-1`,
      jobId: 'job_x',
      command: 'true',
      gpus: 1,
      cpus: 2,
      memoryGb: 0.5,
      timeLimitSeconds: 61,
    });
    const out = slurm('squeue', ['-h', '-t', 'all', '-j', h.slurmJobId as string, '-o', '%j|%k|%l|%C|%b']);
    expect(out).toBe(`${h.marker}|${h.marker} job=job_x gpus=1 cpus=2|2:00|2|gres:gpu:1\n`);
    expect(h).toMatchObject({ kind: 'slurm', cluster: 'sz', gpus: 1, cpus: 2 });
  });
});
