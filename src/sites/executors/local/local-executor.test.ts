import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HetaoError } from '../../../core/index.js';
import { attemptOf, executorConformance, waitFor } from '../conformance.js';
import { LocalExecutor } from './local-executor.js';

const baseDir = mkdtempSync(join(tmpdir(), 'hetao-local-executor-'));

describe('local executor', () => {
  executorConformance(() => ({
    name: 'local',
    make: () => new LocalExecutor({ baseDir: join(baseDir, 'attempts'), gpus: 8, killGraceMs: 1000 }),
    scratchDir: join(baseDir, 'scratch'),
    shortLimitSeconds: 1,
    timeoutWithinMs: 8_000,
  }));
});

describe('local executor: GPUs and supervision across restarts', () => {
  const make = () => new LocalExecutor({ baseDir: join(baseDir, 'gpu-attempts'), gpus: 2, killGraceMs: 500 });

  it('hands out free devices, refuses when busy, frees them at the end; a new instance sees held ones', async () => {
    const a = make();
    const first = await a.submit(attemptOf('echo "gpus=$CUDA_VISIBLE_DEVICES"; sleep 30', { gpus: 1 }));
    await waitFor(a, first, (s) => s.state === 'running');
    const b = make(); // restarted agent: device 0 is still held by the running job
    const second = await b.submit(attemptOf('echo "gpus=$CUDA_VISIBLE_DEVICES"', { gpus: 1 }));
    await waitFor(b, second);
    expect((await b.logs(second, 0)).text).toBe('gpus=1\n');
    const err = await b.submit(attemptOf('true', { gpus: 2 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HetaoError);
    expect((err as HetaoError).code).toBe('HETAO_EXECUTOR_BUSY');
    await b.reattach(first);
    await b.cancel(first);
    expect((await waitFor(b, first)).state).toBe('cancelled');
    const third = await b.submit(attemptOf('echo "gpus=$CUDA_VISIBLE_DEVICES"', { gpus: 2 }));
    await waitFor(b, third);
    expect((await b.logs(third, 0)).text).toBe('gpus=0,1\n');
    await a.close();
    await b.close();
  });

  it('re-arms the time limit when a new instance re-attaches', async () => {
    const a = make();
    const h = await a.submit(attemptOf('sleep 60', { timeLimitSeconds: 1.5 }));
    await a.close(); // its timer is gone with it
    const b = make();
    await b.reattach(h);
    const s = await waitFor(b, h, undefined, 6000);
    expect(s).toMatchObject({ state: 'timed-out', reason: 'time limit 1.5 s' });
    await b.close();
  });
});
