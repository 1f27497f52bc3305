import type { FastifyReply, FastifyRequest } from 'fastify';
import client from 'prom-client';
import type { ApiInstance } from '../api/api-instance.js';
import { JOB_STATES } from '../scheduler/job-state.js';
import type { Store } from '../store/index.js';
import type { LedgerRuntime } from './ledger-runtime.js';

export interface Metrics {
  /** Adds GET /metrics and counts every route registered after it. Call before registering routes. */
  install(app: ApiInstance): void;
  /** Counts a request no route matched (the API's not-found handler calls it). */
  countUnmatched(method: string, status: number): void;
}

type SendDone = (err: Error | null, payload: unknown) => void;

interface RequestCount {
  readonly labels: { readonly method: string; readonly route: string; readonly status: string };
  n: number;
}

/** Prometheus metrics at /metrics (public, like /healthz): HTTP traffic, jobs by state, ledger size, Node's own. */
export function createMetrics(store: Store, ledger: LedgerRuntime): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  // Requests are counted in a plain map and handed to prom-client when scraped: per request one map update,
  // no label validation or hashing.
  const counts = new Map<string, RequestCount>();
  const countOf = (method: string, route: string, status: number): void => {
    const key = `${method} ${status} ${route}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { labels: { method, route, status: String(status) }, n: 1 });
  };
  new client.Counter({
    name: 'hetao_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of counts.values()) this.inc(c.labels, c.n);
    },
  });
  new client.Gauge({
    name: 'hetao_jobs',
    help: 'Jobs by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await store.jobs.countJobs({});
      for (const state of JOB_STATES) this.set({ state }, counts[state]);
    },
  });
  new client.Gauge({
    name: 'hetao_ledger_outbox_rejected',
    help: 'Staged ledger entries set aside because they are not valid entries (a fault to investigate)',
    registers: [registry],
    async collect() {
      this.set(await store.ledger.countRejectedOutbox());
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

  return {
    install(app) {
      // Each route gets a hook of its own with its path fixed at registration, so a request does not rebuild
      // the route's options (a getter that builds an object) to learn it. The count is taken as the reply is
      // sent (onSend, status final): an onResponse hook would add two listeners to every response.
      app.addHook('onRoute', (route) => {
        const path = route.url;
        const hook = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: SendDone): void => {
          countOf(req.method, path, reply.statusCode);
          done(null, payload);
        };
        route.onSend = route.onSend ? [route.onSend, hook].flat() : [hook];
      });
      app.get('/metrics', { config: { public: true } }, async (_req, reply) =>
        reply.type(registry.contentType).send(await registry.metrics()),
      );
    },
    countUnmatched: (method, status) => countOf(method, 'unmatched', status),
  };
}
