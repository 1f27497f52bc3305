/**
 * An agent whose heartbeats hang (a connection that drops packets rather than refusing them) must stop its
 * attempts one lease period after its last renewal, whether or not the hanging call has come back: the exchange
 * will put the job elsewhere soon after. Real exchange, real site agent, local executor. The agent is told a
 * 3-second lease (the exchange keeps its own 30 s one), so stopping early is safe and the test is quick.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExchangeClient, type SiteAgent } from '../../src/sites/index.js';
import type { TestExchange } from './support/exchange-stack.js';
import { LocalAgentStack } from './support/local-agent.js';
import { sleep, startTicking, ticks } from './support/ticking-job.js';

const AGENT_TTL_MS = 3_000;

/** Shortens the lease the agent is told; once `hang` is set, heartbeats never return. */
class HangingClient extends ExchangeClient {
  hang = false;
  heartbeatsHeld = 0;

  override async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: T }> {
    if (path === '/agent/heartbeat' && this.hang) {
      this.heartbeatsHeld++;
      // Like a dropped packet: nothing comes back until the caller's own timeout or stop gives up.
      await new Promise<void>((_, reject) => {
        const give = () => reject(new Error('heartbeat timed out'));
        const timer = setTimeout(give, timeoutMs ?? 40_000);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          give();
        });
      });
    }
    const res = await super.call<T>(method, path, body, timeoutMs, signal);
    if (path === '/agent/register') (res.body as { leaseTtlMs: number }).leaseTtlMs = AGENT_TTL_MS;
    return res;
  }
}

let stack: LocalAgentStack;
let t: TestExchange;
let client: HangingClient;
let agent: SiteAgent;
let dir: string;

beforeAll(async () => {
  stack = await LocalAgentStack.start('hetao-self-fence-');
  ({ t, dir } = stack);
  ({ agent, client } = await stack.agent({ client: (url, token) => new HangingClient(url, token) }));
});

afterAll(async () => stack?.close());

it('stops an attempt one lease after its last renewal while the heartbeat still hangs', async () => {
  const file = join(dir, 'ticks');
  await startTicking(t, file);

  client.hang = true;
  const hungAt = Date.now();
  // Stopped within a lease of the last renewal (at most a lease and a heartbeat interval from now), long before
  // the hanging call's own timeout (a third of the lease, retried) could have let a failure through.
  let last = ticks(file);
  let still = 0;
  while (still < 10 && Date.now() - hungAt < 15_000) {
    await sleep(100);
    const n = ticks(file);
    still = n === last ? still + 1 : 0;
    last = n;
  }
  const stoppedAfter = Date.now() - hungAt;
  expect(still).toBe(10);
  expect(stoppedAfter).toBeLessThan(AGENT_TTL_MS + 3_000);
  expect(client.heartbeatsHeld).toBeGreaterThan(0);
  expect(agent.active).toBe(0);
}, 40_000);
