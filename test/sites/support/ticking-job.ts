import { existsSync, readFileSync } from 'node:fs';
import type { TestExchange } from './exchange-stack.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Lines a ticking job has written to `file` so far. */
export const ticks = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;

/** Submits a job that appends a line to `file` ten times a second, and waits until it runs and has written. */
export async function startTicking(t: TestExchange, file: string): Promise<{ id: string }> {
  const job = await t.api.submit({
    name: 'long',
    run: `while true; do echo tick >> ${file}; sleep 0.1; done`,
    resources: { gpus: 1, timeLimitMinutes: 10 },
  });
  await t.api.waitFor(job.id, (j) => j.state === 'running');
  while (ticks(file) === 0) await sleep(50);
  return job;
}
