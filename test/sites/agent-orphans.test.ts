/**
 * A job cancelled while its site's agent is down must not keep running there: the agent that starts next asks the
 * exchange which attempts it no longer has at the site and stops those its executor still runs. Real exchange,
 * real site agents, local executor (the attempt outlives the agent that started it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemClock } from '../../src/core/index.js';
import { createExecutor, ExchangeClient, type Executor, SiteAgent } from '../../src/sites/index.js';
import { type SiteInfo, startTestExchange, type TestExchange } from './support/exchange-stack.js';
import { sleep, startTicking, ticks } from './support/ticking-job.js';

let t: TestExchange;
let dir: string;
const open: { agent?: SiteAgent; executor?: Executor }[] = [];

beforeAll(async () => {
  t = await startTestExchange({ clusters: ['sz'] });
  dir = mkdtempSync(join(tmpdir(), 'hetao-orphans-'));
});

afterAll(async () => {
  for (const o of open) {
    await o.agent?.stop();
    await o.executor?.close();
  }
  await t?.ex.close();
  if (t) rmSync(t.home, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function startAgent(): Promise<{ agent: SiteAgent; executor: Executor }> {
  const site = t.seed.sites.sz as SiteInfo;
  const executor = createExecutor('local', { baseDir: dir, gpus: 8, killGraceMs: 200 });
  const agent = new SiteAgent({
    client: new ExchangeClient(t.url, site.agentToken),
    siteId: site.id,
    executor,
    clock: systemClock,
    pollMs: 50,
  });
  await agent.start();
  open.push({ agent, executor });
  return { agent, executor };
}

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
  const job = await startTicking(t, file);

  await first.agent.stop(); // the agent goes away; its attempt keeps running
  await first.executor.close();
  expect((await t.api.cancel(job.id)).state).toBe('cancelled');
  expect(await stopsGrowing(file, 1_500)).toBe(false); // nobody has told the site

  await startAgent();
  expect(await stopsGrowing(file, 10_000)).toBe(true);
}, 40_000);
