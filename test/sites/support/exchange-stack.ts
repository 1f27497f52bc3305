/**
 * An in-process exchange (HETAO_DEMO=false, SQLite in a temp home, silent log) with one organization and the
 * sites a test asks for, each with a site-agent token, plus small helpers: the jobs API over HTTP, site agents
 * (in process or as a separate `hetao agent` process) and Slurm clean-up. Shared by test/sites and bench/sites.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { hashToken, newToken } from '../../../src/access/index.js';
import { type Exchange, startExchange } from '../../../src/app/exchange.js';
import { loadConfig } from '../../../src/config/index.js';
import { systemClock } from '../../../src/core/index.js';
import type { Organization, Site } from '../../../src/registry/index.js';
import { org as orgRecord } from '../../../src/registry/testing/factories.js';
import { createExecutor, ExchangeClient, type Executor, SiteAgent } from '../../../src/sites/index.js';

export type ClusterName = 'sz' | 'hk';
const run = promisify(execFile);

export interface SiteInfo {
  readonly id: string;
  readonly cluster: ClusterName;
  readonly agentToken: string;
}

export interface Seed {
  readonly orgToken: string;
  readonly sites: Partial<Record<ClusterName, SiteInfo>>;
}

export interface TestExchange {
  readonly ex: Exchange;
  readonly url: string;
  readonly home: string;
  readonly seed: Seed;
  readonly api: JobsApi;
}

/** A free TCP port on loopback (to restart an exchange on the same URL). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

const SITES: Record<ClusterName, { name: string; jurisdiction: 'SZ' | 'HK'; gpus: Record<string, number> }> = {
  sz: { name: 'Qianhai test centre', jurisdiction: 'SZ', gpus: { A800: 8 } },
  hk: { name: 'Cyberport test centre', jurisdiction: 'HK', gpus: { H800: 4 } },
};

async function seedStore(ex: Exchange, clusters: readonly ClusterName[]): Promise<Seed> {
  const { registry, accounts } = ex.store;
  const now = systemClock.now();
  let n = 0;
  const id = (p: string) => `${p}_t${now.toString(36)}${(++n).toString(36)}`;
  const org = (name: string, jurisdiction: 'SZ' | 'HK'): Organization =>
    orgRecord({ id: id('org'), name, jurisdiction, createdAt: now, updatedAt: now });
  const operator = await registry.insertOrganization(org('Test operator', 'HK'));
  const user = await registry.insertOrganization(org('Test user', 'SZ'));
  const account = async (orgId: string, role: 'org-admin' | 'site-agent', siteId: string | null) => {
    const token = newToken();
    await accounts.insertAccount({
      id: id('acct'),
      name: `${role}@test`,
      orgId,
      role,
      side: null,
      siteId,
      tokenHash: hashToken(token),
      createdAt: now,
      revokedAt: null,
    });
    return token;
  };
  const sites: Partial<Record<ClusterName, SiteInfo>> = {};
  for (const c of clusters) {
    const s = SITES[c];
    const site: Site = await registry.insertSite({
      id: id('site'),
      name: s.name,
      operatorOrgId: operator.id,
      jurisdiction: s.jurisdiction,
      latitude: 22.5,
      longitude: 114,
      gpus: s.gpus,
      pricePerGpuHour: 1,
      currency: 'CNY',
      subsidies: [],
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    sites[c] = { id: site.id, cluster: c, agentToken: await account(operator.id, 'site-agent', site.id) };
  }
  return { orgToken: await account(user.id, 'org-admin', null), sites };
}

/**
 * Starts an exchange on `home` (a new temp dir by default). The first start seeds the org and sites and keeps
 * their tokens in `<home>/test-seed.json`; a restart on the same home reuses them.
 */
export async function startTestExchange(
  opts: { clusters?: readonly ClusterName[]; home?: string; port?: number } = {},
): Promise<TestExchange> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'hetao-sites-'));
  const config = loadConfig({
    HETAO_HOME: home,
    HETAO_PORT: String(opts.port ?? 0),
    HETAO_DEMO: 'false',
    HETAO_LOG_LEVEL: 'silent',
  });
  const ex = await startExchange(config, pino({ level: 'silent' }));
  const seedFile = join(home, 'test-seed.json');
  let seed: Seed;
  if (existsSync(seedFile)) seed = JSON.parse(readFileSync(seedFile, 'utf8')) as Seed;
  else {
    seed = await seedStore(ex, opts.clusters ?? ['sz']);
    writeFileSync(seedFile, JSON.stringify(seed), { mode: 0o600 });
  }
  return { ex, url: ex.url, home, seed, api: new JobsApi(ex.url, seed.orgToken) };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read job views field by field
export type JobJson = any;

export const TERMINAL = ['succeeded', 'failed', 'cancelled', 'timed-out'];

/** The user's side of the API over HTTP. */
export class JobsApi {
  constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: JobJson }> {
    const res = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  async submit(spec: Record<string, unknown>): Promise<JobJson> {
    const r = await this.call('POST', '/jobs', spec);
    if (r.status !== 201) throw new Error(`submit answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async job(id: string): Promise<JobJson> {
    const r = await this.call('GET', `/jobs/${id}`);
    if (r.status !== 200) throw new Error(`GET /jobs/${id} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async logs(id: string): Promise<string> {
    return (await this.call('GET', `/jobs/${id}/logs`)).body as string;
  }

  async cancel(id: string): Promise<JobJson> {
    return (await this.call('POST', `/jobs/${id}/cancel`)).body;
  }

  /** Polls the job until `until` holds; fails with the last view seen after `withinMs`. */
  async waitFor(
    id: string,
    until: (j: JobJson) => boolean = (j) => TERMINAL.includes(j.state),
    withinMs = 30_000,
    everyMs = 100,
  ): Promise<JobJson> {
    const deadline = Date.now() + withinMs;
    let last: JobJson;
    for (;;) {
      try {
        last = await this.job(id);
        if (until(last)) return last;
      } catch (err) {
        last = String(err); // the exchange may be restarting
      }
      if (Date.now() > deadline)
        throw new Error(`job ${id}: condition not met within ${withinMs} ms; last ${JSON.stringify(last)}`);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

export interface ClusterEnv {
  readonly name: ClusterName;
  readonly conf: string;
  readonly root: string;
}

/** A fresh jobs dir on the cluster's shared path (under /tmp, writable by slurmd). */
export function slurmJobsDir(cluster: ClusterEnv, label: string): string {
  const dir = join(cluster.root, 'jobs', `${label}-${Date.now().toString(36)}-${process.pid}`);
  mkdirSync(dir, { recursive: true, mode: 0o1777 });
  return dir;
}

export function slurmExecutor(cluster: ClusterEnv, jobsDir: string): Executor {
  return createExecutor('slurm', { cluster: cluster.name, conf: cluster.conf, jobsDir });
}

/** An in-process site agent (as the exchange embeds them) over HTTP. */
export async function startAgent(
  t: { url: string },
  site: SiteInfo,
  executor: Executor,
  opts: { pollMs?: number } = {},
): Promise<{ agent: SiteAgent; stop(): Promise<void> }> {
  const agent = new SiteAgent({
    client: new ExchangeClient(t.url, site.agentToken),
    siteId: site.id,
    executor,
    clock: systemClock,
    ...(opts.pollMs === undefined ? {} : { pollMs: opts.pollMs }),
  });
  await agent.start();
  return {
    agent,
    async stop() {
      await agent.stop();
      await executor.close();
    },
  };
}

const agentChild = fileURLToPath(new URL('./agent-child.ts', import.meta.url));

/** `hetao agent ... --executor slurm` as a separate process; resolves once it logged "agent running". */
export function spawnAgentProcess(
  url: string,
  site: SiteInfo,
  cluster: ClusterEnv,
  jobsDir: string,
  home: string,
): Promise<ChildProcess & { output: () => string }> {
  const args = [
    '--import',
    'tsx',
    agentChild,
    'agent',
    '--exchange',
    url,
    '--site',
    site.id,
    '--token',
    site.agentToken,
    '--executor',
    'slurm',
    '--cluster',
    cluster.name,
    '--slurm-conf',
    cluster.conf,
    '--jobs-dir',
    jobsDir,
    '--home',
    home,
  ];
  const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
  let out = '';
  const child = Object.assign(p, { output: () => out });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent process did not start within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('"msg":"agent running"')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`agent process exited (${code ?? signal}) before it was running:\n${out}`));
    });
  });
}

/** Kills a child with SIGKILL and waits for its exit. */
export function killHard(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

export function slurmCmd(cluster: ClusterEnv, cmd: string, args: string[]): Promise<string> {
  return run(cmd, args, { env: { ...process.env, SLURM_CONF: cluster.conf } }).then((r) => r.stdout);
}

/** Slurm jobs (id, name, state) whose names carry one of the exchange job ids, from squeue (all states). */
export async function slurmJobsOf(
  cluster: ClusterEnv,
  jobIds: readonly string[],
): Promise<{ id: string; name: string; state: string }[]> {
  const out = await slurmCmd(cluster, 'squeue', ['-h', '-t', 'all', '-o', '%i|%j|%T']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [id = '', name = '', state = ''] = l.split('|');
      return { id, name, state };
    })
    .filter((r) => jobIds.some((j) => r.name.startsWith(`hetao-${j}-`)));
}

/** Cancels whatever is still queued or running in Slurm for these exchange jobs (test clean-up). */
export async function cancelLeftovers(cluster: ClusterEnv, jobIds: readonly string[]): Promise<void> {
  const live = (await slurmJobsOf(cluster, jobIds).catch(() => [])).filter((r) =>
    ['PENDING', 'RUNNING', 'CONFIGURING', 'SUSPENDED', 'REQUEUED'].includes(r.state),
  );
  if (live.length)
    await slurmCmd(
      cluster,
      'scancel',
      live.map((r) => r.id),
    ).catch(() => {});
}
