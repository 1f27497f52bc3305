/**
 * An attempt the site's executor can no longer find (its state removed, as when Slurm purges a job or reuses its
 * id) is lost, not failed: the agent reports it so, and the exchange queues the job to run again. Real exchange,
 * real site agent, local executor.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalAgentStack } from './support/local-agent.js';

let stack: LocalAgentStack;

beforeAll(async () => {
  stack = await LocalAgentStack.start('hetao-lost-');
});

afterAll(async () => stack?.close());

it('queues a job again when its running attempt is lost, and the next attempt completes it', async () => {
  await stack.agent();
  const flag = join(stack.dir, 'ran-once');
  const job = await stack.t.api.submit({
    name: 'lost-once',
    run: `if [ -e ${flag} ]; then echo second attempt; else touch ${flag}; sleep 3; fi`,
    resources: { gpus: 1, timeLimitMinutes: 10 },
  });
  await stack.t.api.waitFor(job.id, (j) => j.state === 'running');
  const [attemptDir] = readdirSync(stack.dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  rmSync(join(stack.dir, (attemptDir as { name: string }).name, 'attempt.json')); // the executor's record is gone

  const done = await stack.t.api.waitFor(job.id, undefined, 30_000);
  expect(done).toMatchObject({ state: 'succeeded', attempt: 2 });
  const moves = (done.events as { from: string; to: string; reason: string }[]).map((e) => `${e.from}>${e.to}`);
  expect(moves).toEqual([
    'submitted>queued',
    'queued>placed',
    'placed>dispatched',
    'dispatched>running',
    'running>queued',
    'queued>placed',
    'placed>dispatched',
    'dispatched>running',
    'running>succeeded',
  ]);
  const lost = (done.events as { to: string; reason: string }[])[4];
  expect(lost?.reason).toMatch(new RegExp(`^attempt lost at site ${stack.site.id}: no state for `));
  expect(await stack.t.api.logs(job.id)).toContain('second attempt');
}, 60_000);
