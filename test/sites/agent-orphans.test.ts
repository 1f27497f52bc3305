/**
 * A job cancelled while its site's agent is down must not keep running there: the agent that starts next asks the
 * exchange which attempts it no longer has at the site and stops those its executor still runs. Real exchange,
 * real site agents, local executor (the attempt outlives the agent that started it).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LocalAgentStack } from './support/local-agent.js';
import { sleep, startTicking, ticks } from './support/ticking-job.js';

let stack: LocalAgentStack;
let dir: string;

beforeAll(async () => {
  stack = await LocalAgentStack.start('hetao-orphans-');
  ({ dir } = stack);
});

afterAll(async () => stack?.close());

const startAgent = () => stack.agent();

/** Whether the file stops growing within `ms` (unchanged for a second). */
async function stopsGrowing(file: string, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  let last = ticks(file);
  let still = 0;
  while (Date.now() < until) {
    await sleep(100);
    const n = ticks(file);
    still = n === last ? still + 1 : 0;
    last = n;
    if (still >= 10) return true;
  }
  return false;
}

it('stops, at the next agent start, an attempt whose job was cancelled while the agent was down', async () => {
  const first = await startAgent();
  const file = join(dir, 'ticks');
  const job = await startTicking(stack.t, file);

  await first.agent.stop(); // the agent goes away; its attempt keeps running
  await first.executor.close();
  expect((await stack.t.api.cancel(job.id)).state).toBe('cancelled');
  expect(await stopsGrowing(file, 1_500)).toBe(false); // nobody has told the site

  await startAgent();
  expect(await stopsGrowing(file, 10_000)).toBe(true);
}, 40_000);
