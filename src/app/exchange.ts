import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { ApiInstance } from '../api/api-instance.js';
import { buildApi } from '../api/build-api.js';
import type { ApiDeps } from '../api/deps.js';
import { ledgerRoutes } from '../api/ledger/index.js';
import { registerResources } from '../api/register-routes.js';
import type { Config } from '../config/index.js';
import { type Clock, createIdGenerator, systemClock } from '../core/index.js';
import { AgentLeases, JobCoordinator, SitePresence, SiteUsageTracker } from '../exchange/index.js';
import type { WitnessClient } from '../ledger/index.js';
import { createFlowDecider, defaultPolicyParameters } from '../policy/index.js';
import type { SiteAgent } from '../sites/index.js';
import type { Store } from '../store/index.js';
import { openConfiguredStore } from './configured-store.js';
import { seedDemo } from './demo/seed-demo.js';
import { startEmbeddedAgents } from './embedded-agents.js';
import { holdExchangeLease } from './exchange-lease.js';
import { createEmbeddedWitnesses, type LedgerRuntime, openLedgerRuntime } from './ledger-runtime.js';
import { createMetrics } from './metrics.js';
import { installDashboard, installDocs } from './web.js';
import { httpWitness } from './witness-client.js';

export interface Exchange {
  readonly url: string;
  readonly app: ApiInstance;
  readonly store: Store;
  readonly ledger: LedgerRuntime;
  readonly coordinator: JobCoordinator;
  readonly log: Logger;
  /** Stops the loops and agents, finishes in-flight requests and ledger batches, then closes the store. */
  close(): Promise<void>;
}

/** How often the scheduler runs without a trigger, ms. */
const TICK_MS = 1000;
/** How long in-flight requests may take to finish on shutdown, ms. */
const SHUTDOWN_GRACE_MS = 3_000;

/**
 * The witnesses asked to cosign: the configured `hetao witness` servers over HTTP (HETAO_WITNESSES), or, when none
 * is configured, the two embedded demo regulators (keys in $HETAO_HOME, state in the store).
 */
function chooseWitnesses(config: Config, store: Store, clock: Clock, log: Logger): WitnessClient[] {
  if (config.witnesses.length === 0) {
    log.info({ mode: 'embedded' }, 'ledger witnesses: the embedded demo regulators (HETAO_WITNESSES is empty)');
    return createEmbeddedWitnesses(config.home, { store, clock });
  }
  const witnesses = config.witnesses.map((w) => httpWitness(w.url, w.key));
  log.info(
    {
      mode: 'external',
      witnesses: config.witnesses.map((w, i) => ({ name: witnesses[i]?.name, url: w.url })),
      quorum: config.witnessQuorum ?? witnesses.length,
    },
    'ledger witnesses: external, over HTTP (HETAO_WITNESSES)',
  );
  return witnesses;
}

/** The exchange: store, ledger with its witnesses, scheduler loop, API, dashboard, demo and embedded agents. */
export async function startExchange(config: Config, logger?: Logger): Promise<Exchange> {
  const log = logger ?? pino({ level: config.logLevel });
  const clock = systemClock;
  mkdirSync(config.home, { recursive: true });
  const store = openConfiguredStore(config);
  const report = await store.migrate(clock.now());
  if (report.applied.length) log.info({ applied: report.applied, dialect: store.dialect }, 'migrated database');
  // One exchange per database: refused here while another holds it; stopped if another takes it over.
  let stopForOther: () => void = () => {};
  const lease = await holdExchangeLease(
    store.leases,
    () => clock.now(),
    (holder) => {
      log.error({ holder }, 'another exchange took over this database; stopping');
      stopForOther();
    },
  ).catch(async (err) => {
    await store.close();
    throw err;
  });
  const ids = createIdGenerator(() => clock.now());

  const witnesses = chooseWitnesses(config, store, clock, log);
  const ledger = await openLedgerRuntime({
    store,
    home: config.home,
    clock,
    witnesses,
    quorum: config.witnessQuorum ?? witnesses.length,
    logger: log,
    maxBatch: config.ledgerBatchMax,
    witnessDelayMs: 200,
  });
  const presence = new SitePresence(clock);
  const coordDeps = {
    registry: store.registry,
    jobs: store.jobs,
    clock,
    ids,
    decide: createFlowDecider(defaultPolicyParameters),
    flushLedger: ledger.flush,
    presence,
  };
  const coordinator = new JobCoordinator(coordDeps);
  const usage = new SiteUsageTracker(store.registry, store.jobs);
  const deps: ApiDeps = {
    registry: store.registry,
    accounts: store.accounts,
    idempotency: store.idempotency,
    presence,
    clock,
    ids,
    policyParams: defaultPolicyParameters,
    ledger: { flush: ledger.flush },
    ledgerStatus: { size: () => ledger.log.size, published: async () => ledger.published() },
    usage,
    jobs: store.jobs,
    coordinator,
    leases: new AgentLeases(coordDeps),
  };
  const metrics = createMetrics(store, ledger);
  const app = await buildApi({
    logger: log,
    onNotFound: metrics.countUnmatched,
    register: async (a) => {
      metrics.install(a);
      await installDocs(a);
      await registerResources(a, deps, [(api) => ledgerRoutes(api, ledger.routes)]);
      await installDashboard(a);
    },
  });
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const url = `http://${config.host}:${typeof addr === 'object' && addr ? addr.port : config.port}`;

  const firstStart = config.demo && (await store.registry.listOrganizations({ limit: 1 })).items.length === 0;
  const seeded = firstStart ? await seedDemo(app, store, ids, clock, url, config.home) : null;
  let agents: SiteAgent[] = [];
  if (config.demo) {
    agents = await startEmbeddedAgents(config, store, url, seeded?.agents, log);
  }
  if (seeded) await seeded.submitJobs();

  const tick = setInterval(
    () => void coordinator.tick().catch((err) => log.error({ err }, 'scheduling tick failed')),
    TICK_MS,
  );
  log.info(
    {
      url,
      dialect: store.dialect,
      demo: config.demo,
      credentials: existsSync(join(config.home, 'demo-credentials.json'))
        ? join(config.home, 'demo-credentials.json')
        : null,
    },
    'exchange listening',
  );

  let closing: Promise<void> | undefined;
  const exchange: Exchange = {
    url,
    app,
    store,
    ledger,
    coordinator,
    log,
    close() {
      closing ??= (async () => {
        const step = async (name: string, fn: () => Promise<unknown>) => {
          const t = Date.now();
          await fn();
          log.debug({ step: name, ms: Date.now() - t }, 'shutdown step done');
        };
        clearInterval(tick);
        await step('agents', () => Promise.allSettled(agents.map((a) => a.stop())));
        // In-flight requests get a grace period to finish; connections still open after it are closed.
        const force = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await step('http', () => app.close());
        clearTimeout(force);
        await step('ledger', () => ledger.close());
        await step('lease', () => lease.release().catch(() => {}));
        await step('store', () => store.close());
      })();
      return closing;
    },
  };
  stopForOther = () => void exchange.close();
  return exchange;
}
