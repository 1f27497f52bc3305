import Type from 'typebox';
import { flushAfter } from '../../exchange/index.js';
import type { Organization } from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { organizationPolicy } from '../policies/organizations.js';
import { IdParams, Jurisdiction, Name, PageQuery, pageOf, Zone } from '../schemas.js';
import { changeEntry } from './record-change.js';

const CreateOrganization = Type.Object(
  {
    name: Name,
    jurisdiction: Jurisdiction,
    zone: Type.Optional(Zone),
    isCIIO: Type.Optional(Type.Boolean()),
    isStartup: Type.Optional(Type.Boolean()),
    gpuShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

const UpdateOrganization = Type.Object(
  {
    /** The organization's guaranteed share of all GPUs (fair share). */
    gpuShare: Type.Number({ minimum: 0, maximum: 1 }),
    /** The version the change is based on; a newer stored version answers 409 HETAO_STORE_CONFLICT. */
    version: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export async function organizationRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/organizations', { schema: { querystring: PageQuery } }, async (req) => {
    assertAllowed(organizationPolicy.list, actorOf(req), 'list organizations');
    return deps.registry.listOrganizations(pageOf(req.query));
  });

  app.get('/organizations/:id', { schema: { params: IdParams } }, async (req) => {
    const o = await deps.registry.getOrganization(req.params.id);
    return assertVisible(organizationPolicy.read, actorOf(req), o, 'organization', req.params.id);
  });

  app.post('/organizations', { schema: { body: CreateOrganization } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(organizationPolicy.create, actor, 'create organizations');
    const at = deps.clock.now();
    const b = req.body;
    const org: Organization = {
      id: deps.ids.next('org'),
      name: b.name,
      jurisdiction: b.jurisdiction,
      zone: b.jurisdiction === 'SZ' ? (b.zone ?? null) : null,
      isCIIO: b.isCIIO ?? false,
      isStartup: b.isStartup ?? false,
      gpuShare: b.gpuShare ?? 0,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await deps.registry.insertOrganization(org, changeEntry(deps, actor, 'organization', org.id, 'create'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(org);
  });

  app.patch('/organizations/:id', { schema: { params: IdParams, body: UpdateOrganization } }, async (req) => {
    const actor = actorOf(req);
    const o = assertVisible(
      organizationPolicy.read,
      actor,
      await deps.registry.getOrganization(req.params.id),
      'organization',
      req.params.id,
    );
    assertAllowed(organizationPolicy.update, actor, 'change organizations');
    const next = await deps.registry.updateOrganization(
      o.id,
      req.body.version,
      { gpuShare: req.body.gpuShare },
      deps.clock.now(),
      changeEntry(deps, actor, 'organization', o.id, 'update'),
    );
    await flushAfter(deps.ledger.flush);
    return next;
  });
}
