import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/index.js';
import { gpusOf } from '../registry/index.js';
import { createExecutor, ExchangeClient, SiteAgent } from '../sites/index.js';
import type { Store } from '../store/index.js';

interface AgentConfig {
  readonly siteId: string;
  readonly token: string;
  readonly slurmCluster: string;
}

const FILE = 'embedded-agents.json';

/**
 * The demo's site agents, one per demo site, inside the exchange process but speaking the same HTTP protocol as
 * a standalone `hetao agent`. They run jobs as local processes, or on the `sz` and `hk` Slurm clusters when
 * HETAO_EXECUTOR=slurm. Their tokens are kept in $HETAO_HOME/embedded-agents.json (0600) across restarts.
 */
export async function startEmbeddedAgents(
  config: Config,
  store: Store,
  url: string,
  seeded: readonly AgentConfig[] | undefined,
  log: Logger,
): Promise<SiteAgent[]> {
  const file = join(config.home, FILE);
  if (seeded) writeFileSync(file, `${JSON.stringify(seeded, null, 2)}\n`, { mode: 0o600 });
  const agents: AgentConfig[] = seeded ? [...seeded] : existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  const started: SiteAgent[] = [];
  for (const a of agents) {
    const site = await store.registry.getSite(a.siteId);
    if (!site) continue;
    const gpus = gpusOf(site);
    const executor =
      config.executor === 'slurm'
        ? createExecutor('slurm', {
            cluster: a.slurmCluster,
            conf: a.slurmCluster === 'hk' ? config.slurmHkConf : config.slurmSzConf,
            jobsDir: join(config.home, 'slurm-jobs', a.slurmCluster),
          })
        : createExecutor('local', { baseDir: join(config.home, 'sites', a.siteId), gpus });
    const child = log.child({ site: site.name });
    const agent = new SiteAgent({
      client: new ExchangeClient(url, a.token),
      siteId: a.siteId,
      executor,
      clock: systemClock,
      log: (msg, fields) => child.info(fields ?? {}, `agent: ${msg}`),
    });
    await agent.start();
    started.push(agent);
  }
  return started;
}
