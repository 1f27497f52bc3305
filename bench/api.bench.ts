/**
 * Exchange API under load (`npx tsx bench/run.ts api`).
 *
 * api.decide: POST /api/v1/flows/decide (an authenticated what-if flow decision: bearer-token check, JSON parse,
 * flow-context validation, the rulebook, JSON reply) on a real exchange started in this process (SQLite home in a
 * temp dir, no demo, so no jobs run beside it), loaded by autocannon in a SECOND process over loopback. Beside it,
 * in the same run and measured the same way, Fastify's own figure: an empty `GET /bench/empty` route on a plain
 * Fastify instance in this process. Reported: requests/s and p99 latency of both, and the ratio.
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
import type { Emit } from './run.js';

const CONNECTIONS = 10;
const WARMUP_S = 2;
const DURATION_S = 8;
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

/** A warm-up run, then the measured one. */
async function measure(args: string[]): Promise<Load> {
  await autocannon(['-d', String(WARMUP_S), ...args]);
  return autocannon(['-d', String(DURATION_S), ...args]);
}

export default async function apiBench(emit: Emit): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'hetao-bench-api-'));
  const empty = Fastify({ logger: false });
  empty.get('/bench/empty', async () => ({}));
  const exchange = await startExchange(
    loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_LOG_LEVEL: 'silent', HETAO_DEMO: 'false' }),
  );
  try {
    const emptyUrl = await empty.listen({ port: 0, host: '127.0.0.1' });
    const now = Date.now();
    const ids = createIdGenerator(() => Date.now());
    const org = await exchange.store.registry.insertOrganization({
      id: ids.next('org'),
      name: 'Bench Org',
      jurisdiction: 'SZ',
      zone: 'qianhai',
      isCIIO: false,
      isStartup: false,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
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

    const base = await measure([`${emptyUrl}/bench/empty`]);
    const decide = await measure([
      '-m',
      'POST',
      '-H',
      `authorization=Bearer ${token}`,
      '-H',
      'content-type=application/json',
      '-b',
      body,
      `${exchange.url}/api/v1/flows/decide`,
    ]);
    const ratio = decide.requestsPerSec / base.requestsPerSec;
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
      ratioToEmptyRoute: Number(ratio.toFixed(3)),
      method: `autocannon in a child process, ${CONNECTIONS} connections, no pipelining, ${WARMUP_S} s warm-up then ${DURATION_S} s measured per route, loopback 127.0.0.1; the exchange and the empty Fastify server share this process and are loaded one after the other`,
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
