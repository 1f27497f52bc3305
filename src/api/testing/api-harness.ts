import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Account, hashToken, type Role, type Side } from '../../access/index.js';
import { createIdGenerator, ManualClock } from '../../core/index.js';
import { AgentLeases, JobCoordinator, SitePresence, SiteUsageTracker } from '../../exchange/index.js';
import { decodeEntry, generateSigner, type LedgerEntry, Log, OutboxDrain } from '../../ledger/index.js';
import { createFlowDecider, defaultPolicyParameters } from '../../policy/index.js';
import type { Organization, Site } from '../../registry/index.js';
import { org, site as siteOf } from '../../registry/testing/factories.js';
import { openStore, type Store } from '../../store/index.js';
import type { ApiInstance } from '../api-instance.js';
import { buildApi } from '../build-api.js';
import type { ApiDeps } from '../deps.js';
import { registerResources } from '../register-routes.js';

/**
 * An in-process exchange API for route tests: a real SQLite store in a temp dir, the real ledger Log over the
 * reference in-memory LedgerStore, a manual clock, and two organizations on either side of the boundary with
 * one account of every role (`tokens[role]` for org A, `other[role]` for org B).
 */
export interface Harness {
  readonly app: ApiInstance;
  readonly store: Store;
  readonly deps: ApiDeps;
  readonly clock: ManualClock;
  readonly orgA: Organization;
  readonly orgB: Organization;
  readonly operator: Organization;
  readonly site: Site;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly other: Readonly<Record<Role, string>>;
  /** Every entry in the log, decoded. */
  ledgerEntries(): Promise<LedgerEntry[]>;
  /** One API call with a token (and any further request headers); JSON bodies parsed. */
  call(
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    token: string | null,
    payload?: unknown,
    headers?: Readonly<Record<string, string>>,
  ): Promise<{ status: number; body: ResponseBody; headers: Readonly<Record<string, unknown>> }>;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: tests probe response bodies field by field
type ResponseBody = any;

const T0 = Date.UTC(2026, 10, 28, 9);

export interface HarnessOptions {
  /**
   * Tracks when each site's agent last called, and gives a site silent for SITE_SILENT_AFTER_MS no new work, as
   * the exchange does. Off by default: most tests drive agents by hand and move the clock far ahead.
   */
  readonly presence?: boolean;
  /** Plugins registered after the resources, with the deps. */
  readonly extra?: readonly ((app: ApiInstance, deps: ApiDeps) => Promise<void>)[];
  /** Sees every route as it is registered (installed before any resource). */
  readonly onRoute?: (route: { method: string | string[]; url: string; config?: { public?: boolean } }) => void;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const extra = options.extra ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'hetao-api-'));
  const store = openStore({ kind: 'sqlite', path: join(dir, 'hetao.db') });
  await store.migrate(T0);
  const clock = new ManualClock(T0);
  const ids = createIdGenerator(() => clock.now());
  const log = await Log.open({ store: store.ledger, signer: generateSigner('hetao.test/exchange') });
  const outbox = new OutboxDrain(store.ledger, (row) => log.appendStaged(row));
  const mkOrg = (name: string, over: Partial<Organization>): Organization =>
    org({ id: ids.next('org'), name, createdAt: T0, updatedAt: T0, ...over });
  const operator = await store.registry.insertOrganization(mkOrg('Hetao Exchange Operator', { jurisdiction: 'HK' }));
  const orgA = await store.registry.insertOrganization(
    mkOrg('Qianhai Robotics', { jurisdiction: 'SZ', zone: 'qianhai' }),
  );
  const orgB = await store.registry.insertOrganization(mkOrg('HKU Vision Lab', { jurisdiction: 'HK' }));
  const site = await store.registry.insertSite({
    id: ids.next('site'),
    name: 'Qianhai AI Compute Centre',
    operatorOrgId: operator.id,
    jurisdiction: 'SZ',
    latitude: 22.52,
    longitude: 113.9,
    gpus: { A800: 8 },
    pricePerGpuHour: 12,
    currency: 'CNY',
    subsidies: [],
    version: 1,
    createdAt: T0,
    updatedAt: T0,
  });
  const roles: Role[] = ['exchange-admin', 'regulator', 'org-admin', 'org-member', 'site-agent'];
  const mkTokens = async (org: Organization, side: Side): Promise<Record<Role, string>> => {
    const out = {} as Record<Role, string>;
    for (const role of roles) {
      const token = `tok_${role}_${org.id}`;
      const account: Account = {
        id: ids.next('acct'),
        name: `${role}@${org.name}`,
        orgId: role === 'exchange-admin' ? operator.id : org.id,
        role,
        side: role === 'regulator' ? side : null,
        siteId: role === 'site-agent' ? site.id : null,
        tokenHash: hashToken(token),
        createdAt: T0,
        revokedAt: null,
      };
      await store.accounts.insertAccount(account);
      out[role] = token;
    }
    return out;
  };
  const tokens = await mkTokens(orgA, 'mainland');
  const other = await mkTokens(orgB, 'hk');
  const coordDeps = {
    registry: store.registry,
    jobs: store.jobs,
    clock,
    ids,
    decide: createFlowDecider(),
    flushLedger: () => outbox.flush(),
    ...(options.presence ? { presence: new SitePresence(clock) } : {}),
  };
  const presence = coordDeps.presence;
  const coordinator = new JobCoordinator(coordDeps);
  const usage = new SiteUsageTracker(store.registry, store.jobs);
  const deps: ApiDeps = {
    registry: store.registry,
    accounts: store.accounts,
    idempotency: store.idempotency,
    ...(presence ? { presence } : {}),
    clock,
    ids,
    policyParams: defaultPolicyParameters,
    ledger: { flush: () => outbox.flush() },
    ledgerStatus: { size: () => log.size, published: () => store.ledger.latestCheckpoint() },
    usage,
    jobs: store.jobs,
    coordinator,
    leases: new AgentLeases(coordDeps),
  };
  const app = await buildApi({
    logger: false,
    register: async (a) => {
      if (options.onRoute) a.addHook('onRoute', options.onRoute);
      await registerResources(
        a,
        deps,
        extra.map((r) => (x: ApiInstance) => r(x, deps)),
      );
    },
  });
  await app.ready();
  return {
    app,
    store,
    deps,
    clock,
    orgA,
    orgB,
    operator,
    site,
    tokens,
    other,
    ledgerEntries: async () => (await store.ledger.readEntries(0, log.size)).map((b) => decodeEntry(b)),
    async call(method, url, token, payload, headers = {}) {
      const res = await app.inject({
        method,
        url: `/api/v1${url}`,
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return {
        status: res.statusCode,
        body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body,
        headers: res.headers,
      };
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Cyberport, registered beside the harness's Qianhai site (A800s at 14 HKD per GPU-hour), with its own site agent:
 * its token is returned.
 */
export async function addCyberport(h: Harness, over: Partial<Site> = {}): Promise<{ site: Site; agent: string }> {
  const now = h.clock.now();
  const site = await h.store.registry.insertSite(
    siteOf(h.operator.id, {
      id: 'site_CYBERPORT',
      name: 'Cyberport AI Supercomputing Centre',
      gpus: { A800: 8 },
      pricePerGpuHour: 14,
      createdAt: now,
      updatedAt: now,
      ...over,
    }),
  );
  const agent = 'tok_site-agent_cyberport';
  await h.store.accounts.insertAccount({
    id: 'acct_CYBERPORT_AGENT',
    name: 'agent@cyberport',
    orgId: h.operator.id,
    role: 'site-agent',
    side: null,
    siteId: site.id,
    tokenHash: hashToken(agent),
    createdAt: now,
    revokedAt: null,
  });
  return { site, agent };
}
