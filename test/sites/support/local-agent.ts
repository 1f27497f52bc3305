import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../../src/core/index.js';
import { createExecutor, ExchangeClient, type Executor, SiteAgent } from '../../../src/sites/index.js';
import { type SiteInfo, startTestExchange, type TestExchange } from './exchange-stack.js';

export interface LocalAgent<C extends ExchangeClient = ExchangeClient> {
  readonly agent: SiteAgent;
  readonly executor: Executor;
  readonly client: C;
}

/**
 * A test exchange (the sz cluster) and site agents of its Shenzhen site on the local executor, over one temporary
 * directory (attempts outlive the agent that started them, as on a real site); `close` tears all of it down.
 */
export class LocalAgentStack {
  readonly #agents: LocalAgent[] = [];

  private constructor(
    readonly t: TestExchange,
    readonly dir: string,
  ) {}

  static async start(prefix: string): Promise<LocalAgentStack> {
    return new LocalAgentStack(await startTestExchange({ clusters: ['sz'] }), mkdtempSync(join(tmpdir(), prefix)));
  }

  get site(): SiteInfo {
    return this.t.seed.sites.sz as SiteInfo;
  }

  /** Starts an agent: `client` makes its exchange client, `wrap` wraps its executor, `gpus` the devices (8). */
  async agent<C extends ExchangeClient = ExchangeClient>(
    opts: { client?: (url: string, token: string) => C; wrap?: (e: Executor) => Executor; gpus?: number } = {},
  ): Promise<LocalAgent<C>> {
    const local = createExecutor('local', { baseDir: this.dir, gpus: opts.gpus ?? 8, killGraceMs: 200 });
    const executor = opts.wrap ? opts.wrap(local) : local;
    const client = opts.client
      ? opts.client(this.t.url, this.site.agentToken)
      : (new ExchangeClient(this.t.url, this.site.agentToken) as C);
    const agent = new SiteAgent({ client, siteId: this.site.id, executor, clock: systemClock, pollMs: 50 });
    await agent.start();
    const started = { agent, executor, client };
    this.#agents.push(started);
    return started;
  }

  async close(): Promise<void> {
    for (const a of this.#agents) {
      await a.agent.stop();
      await a.executor.close();
    }
    await this.t.ex.close();
    rmSync(this.t.home, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
