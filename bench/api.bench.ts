/**
 * Exchange API under load (`npx tsx bench/run.ts api`).
 *
 * api.decide: POST /api/v1/flows/decide (an authenticated what-if flow decision: bearer-token check, JSON parse,
 * flow-context validation, the rulebook, JSON reply) on a real exchange started in this process (SQLite home in a
 * temp dir, no demo, so no jobs run beside it), loaded by autocannon in a SECOND process over loopback. Beside it,
 * in the same run and measured the same way, Fastify's own figure: an empty `GET /bench/empty` route on a plain
 * Fastify instance in this process. A third route on that plain instance, `POST /bench/same-bytes`, reads the same
 * JSON request body and answers the same 1.4 kB decision (computed once, serialized per request): what Fastify
 * itself costs for this exchange of bytes, so the gap between it and decide is what Hetao's own work costs
 * (token check, validation, the rulebook, metrics). The three routes are loaded in ROUNDS alternating rounds;
 * each figure is the median round. Reported: requests/s and p99 latency, and the ratios.
 * Target: decide >= 50% of the empty route's rate, p99 <= 20 ms.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { hashToken } from '../src/access/index.js';
import { startExchange } from '../src/app/exchange.js';
import { loadConfig } from '../src/config/index.js';
import { createIdGenerator } from '../src/core/index.js';
import { org as orgRecord } from '../src/registry/testing/factories.js';
import type { Emit } from './run.js';

const CONNECTIONS = 10;
const WARMUP_S = 2;
const DURATION_S = 4;
const ROUNDS = 3;
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

const CONTEXT = {
  exporter: {
    jurisdiction: 'SZ',
    zone: 'qianhai',
    isCIIO: false,
    annualPiIndividualsExported: 150_000,
    annualSensitivePiIndividualsExported: 0,
  },
  importer: { jurisdiction: 'HK', associatedWithExporter: true },
  data: {
    type: 'crm.customer-records',
    containsPersonalInfo: true,
    sensitivePersonalInfo: false,
    classification: 'general',
    purpose: 'customer service',
  },
};

interface Load {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** One autocannon run in a child process; its --json summary on stdout. */
function autocannon(args: string[]): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON, '--json', '-c', String(CONNECTIONS), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${err.slice(-500)}`));
      try {
        const r = JSON.parse(out);
        resolve({
          requestsPerSec: Math.round(r.requests.average),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          requests: r.requests.total,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
        });
      } catch (cause) {
        reject(new Error(`autocannon printed no JSON summary (${String(cause)}): ${out.slice(0, 300)}`));
      }
    });
  });
}

/** The round with the median rate. */
function median(loads: Load[]): Load {
  return [...loads].sort((a, b) => a.requestsPerSec - b.requestsPerSec)[Math.floor(loads.length / 2)] as Load;
}

/**
 * A warm-up run of each route, then ROUNDS rounds loading the routes one after the other. Returns every round's
 * figures per route (round order).
 */
async function measureAlternating(routes: string[][]): Promise<Load[][]> {
  for (const args of routes) await autocannon(['-d', String(WARMUP_S), ...args]);
  const runs: Load[][] = routes.map(() => []);
  for (let r = 0; r < ROUNDS; r++)
    for (const [i, args] of routes.entries()) runs[i]?.push(await autocannon(['-d', String(DURATION_S), ...args]));
  return runs;
}

export default async function apiBench(emit: Emit): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'hetao-bench-api-'));
  const empty = Fastify({ logger: false });
  empty.get('/bench/empty', async () => ({}));
  let sameReply: unknown = {};
  empty.post('/bench/same-bytes', async () => sameReply);
  const exchange = await startExchange(
    loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_LOG_LEVEL: 'silent', HETAO_DEMO: 'false' }),
  );
  try {
    const emptyUrl = await empty.listen({ port: 0, host: '127.0.0.1' });
    const now = Date.now();
    const ids = createIdGenerator(() => Date.now());
    const org = await exchange.store.registry.insertOrganization(
      orgRecord({ id: ids.next('org'), name: 'Bench Org', zone: 'qianhai', createdAt: now, updatedAt: now }),
    );
    const token = 'bench-token-0123456789abcdef';
    await exchange.store.accounts.insertAccount({
      id: ids.next('acct'),
      name: 'bench',
      orgId: org.id,
      role: 'org-member',
      side: null,
      siteId: null,
      tokenHash: hashToken(token),
      createdAt: now,
      revokedAt: null,
    });
    const body = JSON.stringify(CONTEXT);
    const check = await fetch(`${exchange.url}/api/v1/flows/decide`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    const sample = (await check.json()) as { decision?: string };
    if (check.status !== 200 || !sample.decision) throw new Error(`decide answered ${check.status}`);
    sameReply = sample;
    const post = (url: string) => [
      '-m',
      'POST',
      '-H',
      `authorization=Bearer ${token}`,
      '-H',
      'content-type=application/json',
      '-b',
      body,
      url,
    ];

    const rounds = (await measureAlternating([
      [`${emptyUrl}/bench/empty`],
      post(`${exchange.url}/api/v1/flows/decide`),
      post(`${emptyUrl}/bench/same-bytes`),
    ])) as [Load[], Load[], Load[]];
    const [base, decide, same] = rounds.map(median) as [Load, Load, Load];
    const ratio = decide.requestsPerSec / base.requestsPerSec;
    // each round's decide rate over the empty rate measured just before it: the spread of the ratio in this run
    const roundRatios = rounds[1].map((d, i) =>
      Number((d.requestsPerSec / (rounds[0][i] as Load).requestsPerSec).toFixed(3)),
    );
    const target = { ratioToEmptyRoute: 0.5, p99Ms: 20 };
    emit({
      bench: 'api.decide',
      route: 'POST /api/v1/flows/decide',
      decision: sample.decision,
      requestsPerSec: decide.requestsPerSec,
      p50Ms: decide.p50Ms,
      p99Ms: decide.p99Ms,
      requests: decide.requests,
      non2xx: decide.non2xx,
      errors: decide.errors,
      emptyRoute: { route: 'GET /bench/empty (plain Fastify)', ...base },
      sameBytesRoute: { route: 'POST /bench/same-bytes (plain Fastify, same request and reply bytes)', ...same },
      ratioToEmptyRoute: Number(ratio.toFixed(3)),
      ratioToEmptyRouteByRound: roundRatios,
      sameBytesRatioToEmptyRoute: Number((same.requestsPerSec / base.requestsPerSec).toFixed(3)),
      ratioToSameBytesRoute: Number((decide.requestsPerSec / same.requestsPerSec).toFixed(3)),
      method: `autocannon in a child process, ${CONNECTIONS} connections, no pipelining, ${WARMUP_S} s warm-up per route, then ${ROUNDS} rounds of ${DURATION_S} s per route in turn (median round reported), loopback 127.0.0.1; the exchange and the plain Fastify server share this process and are loaded one at a time`,
      target,
      pass:
        ratio >= target.ratioToEmptyRoute &&
        decide.p99Ms <= target.p99Ms &&
        decide.non2xx === 0 &&
        decide.errors === 0 &&
        base.non2xx === 0,
    });
  } finally {
    await empty.close();
    await exchange.close();
    rmSync(home, { recursive: true, force: true });
  }
}
