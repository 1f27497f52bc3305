import client from 'prom-client';
import type { ApiInstance } from '../api/api-instance.js';
import { JOB_STATES } from '../scheduler/job-state.js';
import type { Store } from '../store/index.js';
import type { LedgerRuntime } from './ledger-runtime.js';

/** Prometheus metrics at /metrics (public, like /healthz): HTTP traffic, jobs by state, ledger size. */
export function installMetrics(app: ApiInstance, store: Store, ledger: LedgerRuntime): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: 'hetao_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'hetao_jobs',
    help: 'Jobs by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      for (const state of JOB_STATES) {
        const page = await store.jobs.listJobs({ states: [state] }, { limit: 500 });
        this.set({ state }, page.items.length);
      }
    },
  });
  new client.Gauge({
    name: 'hetao_ledger_entries',
    help: 'Entries in the transparency ledger',
    registers: [registry],
    collect() {
      this.set(ledger.log.size);
    },
  });
  // One labelled child per (method, route, status), kept: the hot path then skips prom-client's label hashing.
  const children = new Map<string, client.Counter.Internal>();
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const key = `${req.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = requests.labels({ method: req.method, route, status: String(reply.statusCode) });
      children.set(key, child);
    }
    child.inc();
    done();
  });
  app.get('/metrics', { config: { public: true } }, async (_req, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
}
