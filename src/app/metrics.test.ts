import { describe, expect, it } from 'vitest';
import { buildApi } from '../api/build-api.js';
import { HetaoError } from '../core/index.js';
import { JOB_STATES } from '../scheduler/job-state.js';
import type { Store } from '../store/index.js';
import type { LedgerRuntime } from './ledger-runtime.js';
import { createMetrics } from './metrics.js';

const jobCounts = { ...Object.fromEntries(JOB_STATES.map((s) => [s, 0])), queued: 3, running: 700 };
const store = {
  jobs: { countJobs: async () => jobCounts },
  ledger: { countRejectedOutbox: async () => 2 },
} as unknown as Store;
const ledger = { log: { size: 7 } } as unknown as LedgerRuntime;

async function api() {
  const metrics = createMetrics(store, ledger);
  return buildApi({
    logger: false,
    onNotFound: metrics.countUnmatched,
    register: async (a) => {
      metrics.install(a);
      await a.register(
        async (v1) => {
          v1.get('/things/:id', async (req) => {
            if ((req.params as { id: string }).id === 'bad')
              throw new HetaoError('HETAO_API_NOT_FOUND', 'no thing bad', { field: 'id' });
            return { ok: true };
          });
          v1.post('/things', async (_req, reply) => reply.status(201).send({}));
        },
        { prefix: '/api/v1' },
      );
    },
  });
}

const line = (text: string, labels: string): number | null => {
  const m = new RegExp(`^hetao_http_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
};

describe('metrics', () => {
  it('counts requests by method, route pattern and status, including those no route matched', async () => {
    const app = await api();
    try {
      for (const id of ['a', 'b', 'c'])
        expect((await app.inject({ url: `/api/v1/things/${id}` })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/things/bad' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'HEAD', url: '/api/v1/things/a' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'POST', url: '/api/v1/things', payload: {} })).statusCode).toBe(201);
      expect((await app.inject({ url: '/nowhere' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/nowhere/else' })).statusCode).toBe(404);

      const first = await app.inject({ url: '/metrics' });
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toContain('text/plain');
      const m = first.body;
      expect(line(m, 'method="GET",route="/api/v1/things/:id",status="200"')).toBe(3);
      expect(line(m, 'method="GET",route="/api/v1/things/:id",status="404"')).toBe(1);
      expect(line(m, 'method="POST",route="/api/v1/things",status="201"')).toBe(1);
      expect(line(m, 'method="HEAD",route="/api/v1/things/:id",status="200"')).toBe(1);
      expect(line(m, 'method="GET",route="unmatched",status="404"')).toBe(2);
      expect(m).toMatch(/^hetao_ledger_entries 7$/m);
      expect(m).toMatch(/^hetao_ledger_outbox_rejected 2$/m);
      // jobs by state are counted by the store, not read from one page of a listing
      expect(m).toMatch(/^hetao_jobs\{state="running"\} 700$/m);
      expect(m).toMatch(/^hetao_jobs\{state="queued"\} 3$/m);
      expect(m).toMatch(/^hetao_jobs\{state="succeeded"\} 0$/m);
      expect(m).toMatch(/^process_cpu_user_seconds_total /m);

      // a scrape shows totals: the first scrape itself is counted, and nothing is counted twice
      const second = (await app.inject({ url: '/metrics' })).body;
      expect(line(second, 'method="GET",route="/metrics",status="200"')).toBe(1);
      expect(line(second, 'method="GET",route="/api/v1/things/:id",status="200"')).toBe(3);
      expect(line(second, 'method="GET",route="unmatched",status="404"')).toBe(2);
    } finally {
      await app.close();
    }
  });
});
