import Type from 'typebox';
import { HetaoError } from '../../core/index.js';
import { flushAfter } from '../../exchange/index.js';
import { gpusOf, type Site } from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible } from '../auth/rules.js';
import type { ApiDeps, SiteUsage } from '../deps.js';
import { sitePolicy } from '../policies/sites.js';
import { Id, IdParams, Jurisdiction, Name, PageQuery, pageOf } from '../schemas.js';
import { changeEntry } from './record-change.js';

const Subsidy = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{1,40}$' }),
    name: Name,
    rate: Type.Number({ minimum: 0, maximum: 1 }),
    startupRate: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
    eligibleJurisdictions: Type.Array(Jurisdiction, { maxItems: 6 }),
    capPerOrg: Type.Number({ minimum: 0 }),
    currency: Type.Union([Type.Literal('HKD'), Type.Literal('CNY')]),
  },
  { additionalProperties: false },
);

const CreateSite = Type.Object(
  {
    name: Name,
    operatorOrgId: Id('org'),
    jurisdiction: Jurisdiction,
    latitude: Type.Number({ minimum: -90, maximum: 90 }),
    longitude: Type.Number({ minimum: -180, maximum: 180 }),
    // additionalProperties: a GPU type not matching the key pattern is refused, not let through unchecked.
    gpus: Type.Record(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }),
      Type.Integer({ minimum: 0, maximum: 100_000 }),
      { additionalProperties: false, maxProperties: 64 },
    ),
    pricePerGpuHour: Type.Number({ minimum: 0, maximum: 1_000_000 }),
    currency: Type.Union([Type.Literal('HKD'), Type.Literal('CNY')]),
    subsidies: Type.Optional(Type.Array(Subsidy, { maxItems: 10 })),
  },
  { additionalProperties: false },
);

export async function siteRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/sites', { schema: { querystring: PageQuery } }, async (req) => {
    assertAllowed(sitePolicy.list, actorOf(req), 'list sites');
    const page = await deps.registry.listSites(pageOf(req.query));
    const usage = await deps.usage.bySite();
    return { ...page, items: page.items.map((s) => ({ ...s, usage: usageOf(usage, s), ...agentOf(deps, s) })) };
  });

  app.get('/sites/:id', { schema: { params: IdParams } }, async (req) => {
    const s = assertVisible(
      sitePolicy.read,
      actorOf(req),
      await deps.registry.getSite(req.params.id),
      'site',
      req.params.id,
    );
    const usage = await deps.usage.bySite();
    return { ...s, usage: usageOf(usage, s), ...agentOf(deps, s) };
  });

  app.get(
    '/sites/:id/utilization',
    {
      schema: {
        params: IdParams,
        querystring: Type.Object({ hours: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }),
      },
    },
    async (req) => {
      const s = assertVisible(
        sitePolicy.read,
        actorOf(req),
        await deps.registry.getSite(req.params.id),
        'site',
        req.params.id,
      );
      const hours = Math.min(168, Number(req.query.hours ?? 24));
      const now = deps.clock.now();
      return { items: await deps.usage.history(s.id, now - hours * 3_600_000, now) };
    },
  );

  app.post('/sites', { schema: { body: CreateSite } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(sitePolicy.create, actor, 'register sites');
    const b = req.body;
    if (!(await deps.registry.getOrganization(b.operatorOrgId))) {
      throw new HetaoError(
        'HETAO_STORE_REFERENCE',
        `operatorOrgId ${b.operatorOrgId} is not a registered organization`,
        {
          field: 'operatorOrgId',
        },
      );
    }
    const at = deps.clock.now();
    const site: Site = {
      id: deps.ids.next('site'),
      name: b.name,
      operatorOrgId: b.operatorOrgId,
      jurisdiction: b.jurisdiction,
      latitude: b.latitude,
      longitude: b.longitude,
      gpus: b.gpus,
      pricePerGpuHour: b.pricePerGpuHour,
      currency: b.currency,
      subsidies: b.subsidies ?? [],
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await deps.registry.insertSite(site, changeEntry(deps, actor, 'site', site.id, 'create'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(site);
  });
}

/**
 * Whether the site's agent is calling the exchange: when it last did (null: not since the exchange started) and,
 * once it has been silent long enough that the site takes no new work, since when.
 */
function agentOf(deps: ApiDeps, s: Site): { agent?: { lastHeardAt: number | null; silentSince: number | null } } {
  const p = deps.presence;
  if (!p) return {};
  return { agent: { lastHeardAt: p.lastHeard(s.id), silentSince: p.silence(s.id)?.since ?? null } };
}

/** A site's use as the tracker reports it, or idle for a site registered since the tracker's read. */
export function usageOf(usage: ReadonlyMap<string, SiteUsage>, s: Site): SiteUsage {
  return usage.get(s.id) ?? { gpusTotal: gpusOf(s), gpusBusy: 0, queued: 0, running: 0 };
}
