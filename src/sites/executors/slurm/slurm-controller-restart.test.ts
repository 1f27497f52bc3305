import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { HetaoError } from '../../../core/index.js';
import { attemptOf, waitFor } from '../conformance.js';
import { lockController, startController, stopController, waitIdle } from '../testing/controller.js';
import { describeWithSlurm, testCluster } from '../testing/slurm-test-env.js';
import { SlurmExecutor } from './slurm-executor.js';

const hk = testCluster('hk');

await describeWithSlurm('slurm executor survives a controller restart (hk)', hk, () => {
  it('raises HETAO_EXECUTOR_UNAVAILABLE during the outage; queued jobs complete after it', {
    timeout: 300_000,
  }, async () => {
    const jobsDir = join(hk.root, 'jobs', `restart-tests-${Date.now().toString(36)}`);
    mkdirSync(jobsDir, { recursive: true, mode: 0o1777 });
    const ex = new SlurmExecutor({ cluster: 'hk', conf: hk.conf, jobsDir, commandTimeoutMs: 15_000 });
    // hk to ourselves: the sites tests also use (and restart) this cluster.
    const unlock = await lockController(hk);
    try {
      await waitIdle(hk);
      // All four GPUs per job: the first holds the node while the others wait in the queue through the outage.
      // Submitted one after the other: concurrent sbatch calls reach the controller in any order, and a short job
      // that happened to start first would be over before the long one starts (an earlier flaky check, not a bug).
      const handles = [];
      for (const cmd of ['sleep 6; echo done', 'sleep 1; echo done', 'sleep 1; echo done'])
        handles.push(await ex.submit(attemptOf(cmd, { gpus: 4 })));
      await waitFor(ex, handles[0]!, (s) => s.state === 'running');
      const queued = await Promise.all(handles.slice(1).map(async (h) => (await ex.status(h)).state));
      expect(queued).toEqual(['pending', 'pending']);
      await stopController(hk);

      const late = attemptOf('echo late >> runs.txt', { workDir: join(jobsDir, 'late') });
      const [statusErr, submitErr] = await Promise.all([
        ex.status(handles[1]!).catch((e: unknown) => e),
        ex.submit(late).catch((e: unknown) => e),
      ]);
      for (const err of [statusErr, submitErr]) {
        expect(err).toBeInstanceOf(HetaoError);
        expect((err as HetaoError).code).toBe('HETAO_EXECUTOR_UNAVAILABLE');
      }

      await startController(hk);
      const lateHandle = await ex.submit(late); // the retry: submits once
      for (const h of [...handles, lateHandle])
        expect((await waitFor(ex, h, undefined, 40_000)).state).toBe('succeeded');
      expect(readFileSync(join(jobsDir, 'late', 'runs.txt'), 'utf8')).toBe('late\n');
      expect(await ex.submit(late)).toEqual(lateHandle);
    } finally {
      await startController(hk);
      await ex.close();
      unlock();
    }
  });
});
