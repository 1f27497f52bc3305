/**
 * A lease granted by the exchange whose answer is lost on the way back (the connection breaks) is not left to
 * lapse: the agent asks again with the same Idempotency-Key and gets that same grant, so the job starts at once,
 * as attempt 1, instead of after the lease and its grace as attempt 2. Real exchange, real agent, local executor.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExchangeClient } from '../../src/sites/index.js';
import { LocalAgentStack } from './support/local-agent.js';

let stack: LocalAgentStack;
beforeAll(async () => {
  stack = await LocalAgentStack.start('hetao-lease-retry-');
});
afterAll(async () => stack?.close());

/** Drops the first granted lease's answer after the exchange has sent it, as a broken connection would. */
class DroppingClient extends ExchangeClient {
  dropped = 0;
  readonly keys: string[] = [];
  override async call<T>(...args: Parameters<ExchangeClient['call']>): Promise<{ status: number; body: T }> {
    const res = await super.call<T>(...args);
    if (args[1] === '/agent/lease') {
      this.keys.push(String(args[5]?.['idempotency-key']));
      if (res.status === 200 && this.dropped === 0) {
        this.dropped++;
        throw new TypeError('fetch failed: socket closed before the answer arrived');
      }
    }
    return res;
  }
}

it('gets the same grant again when the answer to a lease was lost, and runs the job as attempt 1', async () => {
  const { client } = await stack.agent({ client: (url, token) => new DroppingClient(url, token) });
  const started = Date.now();
  const job = await stack.t.api.submit({ name: 'lost-grant', run: 'echo granted', resources: { gpus: 1 } });
  const done = await stack.t.api.waitFor(job.id, undefined, 20_000);
  expect(done).toMatchObject({ state: 'succeeded', attempt: 1 });
  expect(Date.now() - started).toBeLessThan(15_000); // well before the lease (30 s) and its grace lapse
  expect((client as DroppingClient).dropped).toBe(1);
  const keys = (client as DroppingClient).keys;
  const i = keys.findIndex((k, n) => n > 0 && k === keys[n - 1]);
  expect(i).toBeGreaterThan(0); // the retry after the lost answer carried the same key
  expect(done.events.filter((e: { to: string }) => e.to === 'dispatched')).toHaveLength(1);
}, 40_000);
