import type { Role } from '../../access/index.js';
import type { Fixture } from './fixture.js';

export type Side = 'own' | 'other';

/**
 * One route of the authorization matrix: how to build a fresh request against objects of organization A, and
 * the status each role expects from A's side (`own`) and from B's side (`other`).
 */
export interface Probe {
  readonly route: string;
  readonly prepare: (f: Fixture) => Promise<{ url: string; body?: unknown }>;
  readonly expect: (role: Role, side: Side) => number;
}

const ok =
  (status: number, allowed: (r: Role, s: Side) => boolean, otherwise: (r: Role, s: Side) => number = () => 403) =>
  (r: Role, s: Side) =>
    allowed(r, s) ? status : otherwise(r, s);
const person = (r: Role) => r !== 'site-agent';
const overseer = (r: Role) => r === 'exchange-admin' || r === 'regulator';
const member = (r: Role) => r === 'org-admin' || r === 'org-member';
/** Objects of A: A's people and overseers see them; B's people get 404 (they cannot tell it exists). */
const ownRead = ok(
  200,
  (r, s) => person(r) && (overseer(r) || s === 'own'),
  (r) => (person(r) ? 404 : 403),
);

const get = (url: string) => async () => ({ url });

export const PROBES: readonly Probe[] = [
  { route: 'GET /api/v1/me', prepare: get('/me'), expect: () => 200 },
  { route: 'GET /api/v1/organizations', prepare: get('/organizations'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/organizations/:id',
    prepare: async (f) => ({ url: `/organizations/${f.h.orgA.id}` }),
    expect: ok(200, person),
  },
  {
    route: 'POST /api/v1/organizations',
    prepare: async (f) => ({ url: '/organizations', body: { name: f.uniq('o'), jurisdiction: 'SZ' } }),
    expect: ok(201, (r) => r === 'exchange-admin'),
  },
  {
    route: 'PATCH /api/v1/organizations/:id',
    prepare: async (f) => {
      const o = await f.must('POST', '/organizations', 'exchange-admin', { name: f.uniq('o'), jurisdiction: 'HK' });
      return { url: `/organizations/${o.id}`, body: { gpuShare: 0, version: 1 } };
    },
    expect: ok(200, (r) => r === 'exchange-admin'),
  },
  { route: 'GET /api/v1/associations', prepare: get('/associations'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/associations/:id',
    prepare: async (f) => ({ url: `/associations/${await f.associationAC()}` }),
    expect: ownRead,
  },
  {
    route: 'POST /api/v1/associations',
    prepare: async (f) => ({
      url: '/associations',
      body: { orgB: await f.orgC(), basis: 'control-of-operations', evidenceDigest: f.digest() },
    }),
    expect: ok(201, (r) => r === 'org-admin'),
  },
  {
    route: 'POST /api/v1/associations/:id/confirm',
    prepare: async (f) => ({ url: `/associations/${await f.association('declared')}/confirm`, body: {} }),
    expect: ok(200, (r, s) => r === 'org-admin' && s === 'other'),
  },
  {
    route: 'POST /api/v1/associations/:id/approve',
    prepare: async (f) => ({ url: `/associations/${await f.association('confirmed')}/approve`, body: {} }),
    expect: ok(200, (r) => r === 'regulator'),
  },
  {
    route: 'POST /api/v1/associations/:id/revoke',
    prepare: async (f) => ({ url: `/associations/${await f.association('approved')}/revoke`, body: {} }),
    expect: ok(200, (r) => r === 'org-admin' || r === 'regulator'),
  },
  { route: 'GET /api/v1/sites', prepare: get('/sites'), expect: ok(200, person) },
  { route: 'GET /api/v1/sites/:id', prepare: async (f) => ({ url: `/sites/${f.h.site.id}` }), expect: ok(200, person) },
  {
    route: 'GET /api/v1/sites/:id/utilization',
    prepare: async (f) => ({ url: `/sites/${f.h.site.id}/utilization?hours=2` }),
    expect: ok(200, person),
  },
  {
    route: 'POST /api/v1/sites',
    prepare: async (f) => ({
      url: '/sites',
      body: {
        name: f.uniq('site'),
        operatorOrgId: f.h.operator.id,
        jurisdiction: 'HK',
        latitude: 22.3,
        longitude: 114.2,
        gpus: { H800: 2 },
        pricePerGpuHour: 30,
        currency: 'HKD',
      },
    }),
    expect: ok(201, (r) => r === 'exchange-admin'),
  },
  { route: 'GET /api/v1/data-types', prepare: get('/data-types'), expect: ok(200, person) },
  {
    route: 'POST /api/v1/data-types',
    prepare: async (f) => ({
      url: '/data-types',
      body: {
        name: `authz.t${f.uniq('').replace(/[^a-z0-9]/g, '')}`,
        title: 'T',
        defaultClassification: 'general',
        containsPersonalInfo: false,
      },
    }),
    expect: ok(201, overseer),
  },
  { route: 'GET /api/v1/datasets', prepare: get('/datasets'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/datasets/:id',
    prepare: async (f) => ({ url: `/datasets/${await f.dataset()}` }),
    expect: ownRead,
  },
  {
    route: 'POST /api/v1/datasets',
    prepare: async (f) => ({
      url: '/datasets',
      body: {
        name: f.uniq('d'),
        siteId: f.h.site.id,
        dataType: await f.dataType(),
        sizeBytes: 5,
        contentDigest: f.digest(),
      },
    }),
    expect: ok(201, member),
  },
  { route: 'GET /api/v1/scenarios', prepare: get('/scenarios'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/scenarios/:id',
    prepare: async (f) => ({ url: `/scenarios/${await f.scenario()}` }),
    expect: ok(200, person),
  },
  {
    route: 'POST /api/v1/scenarios',
    prepare: async (f) => ({ url: '/scenarios', body: { name: f.uniq('s').replace(/[^a-z0-9-]/g, ''), title: 'S' } }),
    expect: ok(201, overseer),
  },
  {
    route: 'POST /api/v1/scenarios/:id/participants',
    prepare: async (f) => ({
      url: `/scenarios/${await f.scenario()}/participants`,
      body: { orgId: f.h.orgB.id, role: 'participant' },
    }),
    expect: ok(200, overseer),
  },
  { route: 'GET /api/v1/general-data-list', prepare: get('/general-data-list'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/general-data-list/:id/history',
    prepare: async (f) => ({ url: `/general-data-list/${await f.listEntry('proposed')}/history` }),
    expect: ok(200, person),
  },
  {
    route: 'POST /api/v1/general-data-list',
    prepare: async (f) => ({
      url: '/general-data-list',
      body: { scenarioId: await f.scenario(), dataType: await f.dataType(), reason: 'probe' },
    }),
    expect: ok(201, (r, s) => r === 'regulator' || (r === 'org-admin' && s === 'own')),
  },
  ...(
    [
      ['pilot', 'proposed', {}],
      ['assess', 'piloting', { result: 'safe', evidenceDigest: 'a'.repeat(64) }],
      ['list', 'assessed', {}],
      ['suspend', 'listed', {}],
      ['reinstate', 'suspended', {}],
      ['revoke', 'listed', {}],
    ] as const
  ).map(
    ([kind, from, extra]): Probe => ({
      route: `POST /api/v1/general-data-list/:id/${kind}`,
      prepare: async (f) => ({
        url: `/general-data-list/${await f.listEntry(from)}/${kind}`,
        body: { reason: kind, ...extra },
      }),
      expect: ok(200, (r, s) => r === 'regulator' && s === 'own'),
    }),
  ),
  { route: 'GET /api/v1/agreements', prepare: get('/agreements'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/agreements/:id',
    prepare: async (f) => ({ url: `/agreements/${await f.agreementAC()}` }),
    expect: ownRead,
  },
  {
    route: 'POST /api/v1/agreements',
    prepare: async (f) => ({
      url: '/agreements',
      body: {
        kind: 'certification',
        exporterOrgId: f.h.orgA.id,
        importerOrgId: await f.orgC(),
        dataTypes: [],
        evidenceDigest: f.digest(),
      },
    }),
    expect: ok(201, (r, s) => r === 'org-admin' && s === 'own'),
  },
  { route: 'GET /api/v1/approvals', prepare: get('/approvals'), expect: ok(200, person) },
  {
    route: 'GET /api/v1/approvals/:id',
    prepare: async (f) => ({ url: `/approvals/${await f.agreementAC()}` }),
    expect: ownRead,
  },
  {
    route: 'POST /api/v1/approvals',
    prepare: async (f) => ({
      url: '/approvals',
      body: { exporterOrgId: f.h.orgA.id, importerOrgId: await f.orgC(), dataTypes: [], evidenceDigest: f.digest() },
    }),
    expect: ok(201, (r, s) => r === 'regulator' && s === 'own'),
  },
  {
    route: 'POST /api/v1/flows/decide',
    prepare: async () => ({
      url: '/flows/decide',
      body: {
        exporter: {
          jurisdiction: 'SZ',
          isCIIO: false,
          annualPiIndividualsExported: 0,
          annualSensitivePiIndividualsExported: 0,
        },
        importer: { jurisdiction: 'HK', associatedWithExporter: false },
        data: {
          type: 'x.y',
          containsPersonalInfo: false,
          sensitivePersonalInfo: false,
          classification: 'general',
          purpose: 'p',
        },
      },
    }),
    expect: ok(200, person),
  },
  {
    route: 'POST /api/v1/flows',
    prepare: async (f) => ({
      url: '/flows',
      body: { datasetId: await f.dataset(), importerOrgId: await f.orgC(), purpose: 'probe' },
    }),
    expect: ok(
      201,
      (r, s) => member(r) && s === 'own',
      (r) => (member(r) ? 404 : 403),
    ),
  },
  { route: 'GET /api/v1/flows', prepare: get('/flows'), expect: ok(200, person) },
  { route: 'GET /api/v1/stats/flows', prepare: get('/stats/flows'), expect: ok(200, person) },
  { route: 'GET /api/v1/stats/overview', prepare: get('/stats/overview'), expect: ok(200, person) },
  {
    route: 'POST /api/v1/jobs',
    prepare: async (f) => ({ url: '/jobs', body: { name: f.uniq('j'), run: 'true' } }),
    expect: ok(201, member),
  },
  { route: 'GET /api/v1/jobs', prepare: get('/jobs'), expect: ok(200, person) },
  { route: 'GET /api/v1/jobs/:id', prepare: async (f) => ({ url: `/jobs/${await f.job()}` }), expect: ownRead },
  {
    route: 'GET /api/v1/jobs/:id/logs',
    prepare: async (f) => ({ url: `/jobs/${await f.job()}/logs` }),
    expect: ownRead,
  },
  {
    route: 'POST /api/v1/jobs/:id/cancel',
    prepare: async (f) => ({ url: `/jobs/${await f.job()}/cancel` }),
    expect: ok(
      200,
      (r, s) => r === 'exchange-admin' || (member(r) && s === 'own'),
      (r, s) => (r === 'regulator' ? 403 : person(r) && s === 'other' ? 404 : 403),
    ),
  },
  {
    route: 'POST /api/v1/agent/register',
    prepare: async (f) => ({ url: '/agent/register', body: { siteId: f.h.site.id } }),
    expect: ok(200, (r) => r === 'site-agent'),
  },
  {
    route: 'POST /api/v1/agent/lease',
    prepare: async (f) => {
      await f.drainLeases();
      return { url: '/agent/lease', body: { siteId: f.h.site.id } };
    },
    expect: ok(204, (r) => r === 'site-agent'),
  },
  {
    route: 'POST /api/v1/agent/heartbeat',
    prepare: async (f) => ({ url: '/agent/heartbeat', body: { siteId: f.h.site.id, leases: [] } }),
    expect: ok(200, (r) => r === 'site-agent'),
  },
  {
    route: 'POST /api/v1/agent/report',
    prepare: async (f) => {
      const l = await f.leasedJob();
      return {
        url: '/agent/report',
        body: {
          siteId: f.h.site.id,
          messageId: f.uniq('msg-report'),
          jobId: l.jobId,
          leaseToken: l.leaseToken,
          state: 'running',
        },
      };
    },
    expect: ok(200, (r) => r === 'site-agent'),
  },
  {
    route: 'POST /api/v1/agent/logs',
    prepare: async (f) => {
      const l = await f.leasedJob();
      return {
        url: '/agent/logs',
        body: { siteId: f.h.site.id, jobId: l.jobId, leaseToken: l.leaseToken, offset: 0, text: 'x' },
      };
    },
    expect: ok(204, (r) => r === 'site-agent'),
  },
  {
    route: 'GET /api/v1/agent/assignments',
    prepare: async (f) => ({ url: `/agent/assignments?siteId=${f.h.site.id}` }),
    expect: ok(200, (r) => r === 'site-agent'),
  },
];
