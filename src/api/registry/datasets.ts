import Type, { type Static } from 'typebox';
import { HetaoError } from '../../core/index.js';
import { flushAfter } from '../../exchange/index.js';
import type { Classification } from '../../policy/types.js';
import type { Dataset, DataType } from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible, readsEverything } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { datasetPolicy, dataTypePolicy } from '../policies/data.js';
import {
  Classification as ClassificationSchema,
  DataTypeName,
  Digest,
  Id,
  IdParams,
  Name,
  PageQuery,
  pageOf,
} from '../schemas.js';
import { changeEntry } from './record-change.js';

const CreateDataType = Type.Object(
  {
    name: DataTypeName,
    title: Name,
    defaultClassification: ClassificationSchema,
    containsPersonalInfo: Type.Boolean(),
    sensitivePersonalInfo: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const CreateDataset = Type.Object(
  {
    name: Name,
    siteId: Id('site'),
    dataType: DataTypeName,
    classification: Type.Optional(ClassificationSchema),
    containsPersonalInfo: Type.Optional(Type.Boolean()),
    sensitivePersonalInfo: Type.Optional(Type.Boolean()),
    individuals: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000_000 })),
    sizeBytes: Type.Integer({ minimum: 0, maximum: 1e18 }),
    contentDigest: Digest,
  },
  { additionalProperties: false },
);

const RANK: Record<Classification, number> = { general: 0, important: 1, core: 2 };

/** A dataset is at least as protected as its type says, and its PI flags and counts agree. */
export function datasetFromRequest(
  b: Static<typeof CreateDataset>,
  type: DataType,
  ownerOrgId: string,
  id: string,
  at: number,
): Dataset {
  const classification = b.classification ?? type.defaultClassification;
  if (RANK[classification] < RANK[type.defaultClassification]) {
    throw new HetaoError(
      'HETAO_REGISTRY_INVALID',
      `classification ${classification} is below the ${type.defaultClassification} default of data type ${type.name}`,
      { field: 'classification' },
    );
  }
  const containsPersonalInfo = b.containsPersonalInfo ?? type.containsPersonalInfo;
  const sensitivePersonalInfo = b.sensitivePersonalInfo ?? type.sensitivePersonalInfo;
  const individuals = b.individuals ?? 0;
  if (sensitivePersonalInfo && !containsPersonalInfo) {
    throw new HetaoError('HETAO_REGISTRY_INVALID', 'sensitivePersonalInfo requires containsPersonalInfo', {
      field: 'sensitivePersonalInfo',
    });
  }
  if (containsPersonalInfo !== individuals > 0) {
    throw new HetaoError(
      'HETAO_REGISTRY_INVALID',
      containsPersonalInfo
        ? 'individuals must be at least 1 for a dataset with personal information'
        : 'individuals must be 0 for a dataset without personal information',
      { field: 'individuals' },
    );
  }
  return {
    id,
    name: b.name,
    ownerOrgId,
    siteId: b.siteId,
    dataType: type.name,
    classification,
    containsPersonalInfo,
    sensitivePersonalInfo,
    individuals,
    sizeBytes: b.sizeBytes,
    contentDigest: b.contentDigest,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

export async function dataRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/data-types', async (req) => {
    assertAllowed(dataTypePolicy.list, actorOf(req), 'list data types');
    return { items: await deps.registry.listDataTypes(), next: null };
  });

  app.post('/data-types', { schema: { body: CreateDataType } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(dataTypePolicy.create, actor, 'define data types');
    const b = req.body;
    const sensitive = b.sensitivePersonalInfo ?? false;
    if (sensitive && !b.containsPersonalInfo) {
      throw new HetaoError('HETAO_REGISTRY_INVALID', 'sensitivePersonalInfo requires containsPersonalInfo', {
        field: 'sensitivePersonalInfo',
      });
    }
    const t: DataType = { ...b, sensitivePersonalInfo: sensitive, createdAt: deps.clock.now() };
    await deps.registry.insertDataType(t, changeEntry(deps, actor, 'data-type', t.name, 'create'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(t);
  });

  app.get('/datasets', { schema: { querystring: PageQuery } }, async (req) => {
    const actor = actorOf(req);
    assertAllowed(datasetPolicy.list, actor, 'list datasets');
    const filter = readsEverything(actor) ? {} : { ownerOrgId: actor.orgId };
    return deps.registry.listDatasets(filter, pageOf(req.query));
  });

  app.get('/datasets/:id', { schema: { params: IdParams } }, async (req) => {
    const d = await deps.registry.getDataset(req.params.id);
    return assertVisible(datasetPolicy.read, actorOf(req), d, 'dataset', req.params.id);
  });

  app.post('/datasets', { schema: { body: CreateDataset } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(datasetPolicy.create, actor, 'register datasets');
    const type = await deps.registry.getDataType(req.body.dataType);
    if (!type) {
      throw new HetaoError('HETAO_STORE_REFERENCE', `dataType ${req.body.dataType} is not defined`, {
        field: 'dataType',
      });
    }
    if (!(await deps.registry.getSite(req.body.siteId))) {
      throw new HetaoError('HETAO_STORE_REFERENCE', `siteId ${req.body.siteId} is not a registered site`, {
        field: 'siteId',
      });
    }
    const d = datasetFromRequest(req.body, type, actor.orgId, deps.ids.next('ds'), deps.clock.now());
    await deps.registry.insertDataset(d, changeEntry(deps, actor, 'dataset', d.id, 'create'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(d);
  });
}
