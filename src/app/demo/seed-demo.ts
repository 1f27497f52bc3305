import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Account, hashToken, newToken, type Role, type Side } from '../../access/index.js';
import type { ApiInstance } from '../../api/api-instance.js';
import { changeEntry } from '../../api/registry/record-change.js';
import type { Clock, IdGenerator } from '../../core/index.js';
import type { Organization } from '../../registry/index.js';
import type { Store } from '../../store/index.js';
import { DEMO_DATA_TYPES, DEMO_DATASETS, DEMO_ORGS, DEMO_SCENARIOS, DEMO_SITES, type DemoOrgKey } from './demo-data.js';

export interface DemoCredentials {
  readonly exchange: string;
  readonly tokens: { org: string; orgId: string; role: Role; token: string; siteId?: string }[];
}

export interface SeededDemo {
  readonly credentials: DemoCredentials;
  /** site-agent token per site id, for the embedded agents. */
  readonly agents: { siteId: string; token: string; slurmCluster: string }[];
  /** Demo jobs to submit once the agents run. */
  submitJobs(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL('../../../demo/train_anomaly_detector.py', import.meta.url));
const digest = (s: string) =>
  Array.from({ length: 64 }, (_, i) => '0123456789abcdef'[(s.charCodeAt(i % s.length) + i) % 16]).join('');

/**
 * Seeds the demo through the API itself, so every object is validated and leaves its ledger entry exactly as a
 * user's call would. Only the bootstrap (organizations and accounts) is written directly; the organizations still
 * leave their registry-change entries, made by the operator (the compute centre holding the exchange-admin).
 */
export async function seedDemo(
  app: ApiInstance,
  store: Store,
  ids: IdGenerator,
  clock: Clock,
  exchangeUrl: string,
  home: string,
): Promise<SeededDemo> {
  const at = clock.now();
  const orgs = new Map<DemoOrgKey, Organization>();
  const orgIds = new Map(DEMO_ORGS.map((o) => [o.key, ids.next('org')]));
  const operator = { orgId: orgIds.get('qhcc') as string };
  for (const o of DEMO_ORGS) {
    const org: Organization = {
      id: orgIds.get(o.key) as string,
      name: o.name,
      jurisdiction: o.jurisdiction,
      zone: 'zone' in o ? o.zone : null,
      isCIIO: false,
      isStartup: 'isStartup' in o ? o.isStartup : false,
      gpuShare: 0,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const entry = changeEntry<Organization>({ ids, clock }, operator, 'organization', org.id, 'create');
    orgs.set(o.key, await store.registry.insertOrganization(org, entry));
  }
  const org = (k: DemoOrgKey) => orgs.get(k) as Organization;
  const tokens: DemoCredentials['tokens'] = [];
  const account = async (k: DemoOrgKey, role: Role, side: Side | null = null, siteId: string | null = null) => {
    const token = newToken();
    const a: Account = {
      id: ids.next('acct'),
      name: `${role} of ${org(k).name}`,
      orgId: org(k).id,
      role,
      side,
      siteId,
      tokenHash: hashToken(token),
      createdAt: at,
      revokedAt: null,
    };
    await store.accounts.insertAccount(a);
    tokens.push({ org: org(k).name, orgId: org(k).id, role, token, ...(siteId ? { siteId } : {}) });
    return token;
  };
  const t = {
    robotics: await account('robotics', 'org-admin'),
    lab: await account('lab', 'org-admin'),
    logistics: await account('logistics', 'org-admin'),
    affiliate: await account('affiliate', 'org-admin'),
    roboticsMember: await account('robotics', 'org-member'),
    szReg: await account('sz-reg', 'regulator', 'mainland'),
    hkReg: await account('hk-reg', 'regulator', 'hk'),
    admin: await account('qhcc', 'exchange-admin'),
  };

  const call = async (token: string, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 400) throw new Error(`demo seed: ${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res.json();
  };

  const sites = new Map<string, string>();
  const agents: SeededDemo['agents'] = [];
  for (const s of DEMO_SITES) {
    const { key, operator, slurmCluster, ...body } = s;
    const made = await call(t.admin, 'POST', '/sites', { ...body, operatorOrgId: org(operator).id });
    sites.set(key, made.id);
    agents.push({ siteId: made.id, token: await account(operator, 'site-agent', null, made.id), slurmCluster });
  }
  for (const dt of DEMO_DATA_TYPES) await call(t.szReg, 'POST', '/data-types', dt);
  const datasets = new Map<string, string>();
  for (const d of DEMO_DATASETS) {
    const ownerToken = d.owner === 'robotics' ? t.robotics : d.owner === 'lab' ? t.lab : t.logistics;
    const made = await call(ownerToken, 'POST', '/datasets', {
      name: d.name,
      siteId: sites.get(d.site),
      dataType: d.dataType,
      sizeBytes: d.sizeBytes,
      contentDigest: digest(d.name),
      ...('individuals' in d ? { individuals: d.individuals } : {}),
    });
    datasets.set(d.key, made.id);
  }
  const assoc = await call(t.logistics, 'POST', '/associations', {
    orgB: org('affiliate').id,
    basis: 'shareholding',
    shareholdingPct: 100,
    evidenceDigest: digest('shareholder register'),
  });
  await call(t.affiliate, 'POST', `/associations/${assoc.id}/confirm`, {});
  await call(t.szReg, 'POST', `/associations/${assoc.id}/approve`, {});

  const scenarios = new Map<string, string>();
  for (const s of DEMO_SCENARIOS) {
    const made = await call(t.szReg, 'POST', '/scenarios', {
      name: s.name,
      title: s.title,
      zone: s.zone,
      participants: s.participants.map((p, i) => ({ orgId: org(p).id, role: i === 0 ? 'lead' : 'participant' })),
    });
    scenarios.set(s.key, made.id);
  }
  const propose = (scenario: string, dataType: string, reason: string) =>
    call(t.szReg, 'POST', '/general-data-list', { scenarioId: scenarios.get(scenario), dataType, reason });
  const step = (id: string, kind: string, body: object = {}) =>
    call(t.szReg, 'POST', `/general-data-list/${id}/${kind}`, { reason: `demo: ${kind}`, ...body });
  const shipments = await propose(
    'logistics',
    'logistics.shipment-status',
    'proven safe in the cross-border logistics pilot',
  );
  await step(shipments.id, 'pilot');
  await step(shipments.id, 'assess', { result: 'safe', evidenceDigest: digest('pilot assessment report') });
  await step(shipments.id, 'list');
  const telemetry = await propose('vessels', 'vessel.sensor-telemetry', 'unmanned vessel trials in Shenzhen Bay');
  await step(telemetry.id, 'pilot');
  await propose('customs', 'customs.manifests', 'requested by the customs pilot');

  for (const [kind, dataType] of [
    ['general-data-list-filing', 'logistics.shipment-status'],
    ['gba-standard-contract', 'crm.customer-records'],
  ] as const) {
    await call(t.logistics, 'POST', '/agreements', {
      kind,
      exporterOrgId: org('logistics').id,
      importerOrgId: org('affiliate').id,
      dataTypes: [dataType],
      filedAt: at,
      evidenceDigest: digest(`${kind} filing`),
    });
  }
  for (const [ds, purpose] of [
    ['shipments', 'route optimisation'],
    ['crm', 'customer service'],
    ['manifests', 'customs pre-clearance'],
  ] as const) {
    await call(t.logistics, 'POST', '/flows', {
      datasetId: datasets.get(ds),
      importerOrgId: org('affiliate').id,
      purpose,
      ...(ds === 'shipments' ? { scenarioId: scenarios.get('logistics') } : {}),
    });
  }

  const credentials: DemoCredentials = { exchange: exchangeUrl, tokens };
  writeFileSync(join(home, 'demo-credentials.json'), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return {
    credentials,
    agents,
    async submitJobs() {
      const train = (name: string, gpus: number, epochs: number, datasets: string[]) => ({
        name,
        resources: { gpus, gpuTypes: [], cpus: 1, memoryGb: 1, timeLimitMinutes: 10 },
        datasets,
        run: `python3 ${SCRIPT}`,
        env: { EPOCHS: String(epochs) },
        priority: 0,
      });
      await call(
        t.robotics,
        'POST',
        '/jobs',
        train('train-substation-anomaly-detector', 2, 60, [datasets.get('hum') as string]),
      );
      await call(t.robotics, 'POST', '/jobs', train('tune-detector-threshold', 1, 30, [datasets.get('hum') as string]));
      await call(
        t.lab,
        'POST',
        '/jobs',
        train('vessel-telemetry-baseline', 1, 40, [datasets.get('vessels') as string]),
      );
      await call(
        t.affiliate,
        'POST',
        '/jobs',
        train('manifest-risk-model', 1, 20, [datasets.get('manifests') as string]),
      );
    },
  };
}
