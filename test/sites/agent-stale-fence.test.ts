/**
 * A preempted job can be leased again at the same site before the agent hears that its old lease is gone. The
 * heartbeat that carried the old lease then answers `fenced` for the job: that answer is about the old attempt,
 * and must not stop the new one. Real exchange, real site agent, local executor; the only control is a gate that
 * holds one heartbeat (already carrying the old lease) until the new attempt runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ExchangeClient, type Executor } from '../../src/sites/index.js';
import type { TestExchange } from './support/exchange-stack.js';
import { LocalAgentStack } from './support/local-agent.js';

/** Holds heartbeats while `hold` is set; `held` resolves when one is waiting (with the leases it carries). */
class GatedClient extends ExchangeClient {
  hold = false;
  #release: (() => void) | null = null;
  #waiting: ((body: unknown) => void) | null = null;
  readonly held = new Promise<unknown>((resolve) => {
    this.#waiting = resolve;
  });

  override async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs?: number,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: T }> {
    if (path === '/agent/heartbeat' && this.hold) {
      await new Promise<void>((resolve) => {
        this.#release = resolve;
        this.#waiting?.(body);
      });
    }
    return super.call<T>(method, path, body, timeoutMs, signal);
  }

  release(): void {
    this.hold = false;
    this.#release?.();
  }
}

/** While set, the executor's submit waits for it (a slow sbatch, say). */
let submitGate: Promise<void> | null = null;
let submitting: (() => void) | null = null;

let stack: LocalAgentStack;
let t: TestExchange;
let client: GatedClient;
let dir: string;

beforeAll(async () => {
  stack = await LocalAgentStack.start('hetao-stale-fence-');
  ({ t, dir } = stack);
  // More devices than the exchange schedules, so the new attempt need not wait for the old one's GPUs.
  ({ client } = await stack.agent({
    gpus: 16,
    client: (url, token) => new GatedClient(url, token),
    wrap: (local) =>
      new Proxy(local, {
        get(target, prop) {
          if (prop === 'submit')
            return async (...args: Parameters<Executor['submit']>) => {
              if (submitGate) {
                submitting?.();
                await submitGate;
              }
              return target.submit(...args);
            };
          const v = Reflect.get(target, prop, target);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      }),
  }));
});

afterAll(async () => {
  client?.release();
  await stack?.close();
});

it('a fenced answer about the stopped attempt leaves the new attempt of the same job running', async () => {
  const low = await t.api.submit({
    name: 'sweep',
    run: 'if [ "$HETAO_ATTEMPT" = 1 ]; then sleep 60; else sleep 2; echo resumed; fi',
    resources: { gpus: 8, timeLimitMinutes: 10 },
    priority: -1,
    preemptible: true,
  });
  await t.api.waitFor(low.id, (j) => j.state === 'running');
  client.hold = true;
  const carried = (await client.held) as { leases: { jobId: string; leaseToken: number }[] };
  expect(carried.leases).toContainEqual({ jobId: low.id, leaseToken: 1 });

  // A higher-priority job of the same organization stops the first; it is over at once, and the first is leased
  // again at the same site while the heartbeat with its old lease is still held.
  const urgent = await t.api.submit({
    name: 'urgent',
    run: 'true',
    resources: { gpus: 4, timeLimitMinutes: 5 },
    priority: 5,
  });
  expect((await t.api.waitFor(urgent.id)).state).toBe('succeeded');
  await t.api.waitFor(low.id, (j) => j.state === 'running' && j.attempt === 2, 20_000);

  client.release(); // answers `fenced` for the old lease
  const done = await t.api.waitFor(low.id, undefined, 20_000);
  expect(done.state).toBe('succeeded');
  expect(done.attempt).toBe(2);
  expect(await t.api.logs(low.id)).toContain('resumed');
}, 60_000);

it('an attempt fenced while the executor is still submitting it is stopped as soon as the submit returns', async () => {
  const marker = join(dir, 'ran-after-cancel');
  let open: () => void = () => {};
  submitGate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const started = new Promise<void>((resolve) => {
    submitting = resolve;
  });
  const j = await t.api.submit({ name: 'cancelled-early', run: `sleep 1; touch ${marker}`, resources: { gpus: 1 } });
  await started; // the agent leased it and is inside the executor's submit
  expect((await t.api.cancel(j.id)).state).toBe('cancelled');
  // the next heartbeat answers `cancel` while the attempt has no handle yet
  await new Promise((r) => setTimeout(r, 1500));
  submitGate = null;
  open();
  await new Promise((r) => setTimeout(r, 2500));
  expect(existsSync(marker)).toBe(false);
}, 30_000);
