import Type, { type Static } from 'typebox';
import { type Actor, sideOf } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import { flushAfter } from '../../exchange/index.js';
import type { Agreement } from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible, readsEverything, roles } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { agreementPolicy } from '../policies/agreements.js';
import { DataTypeName, Digest, Id, IdParams, Millis } from '../schemas.js';
import { changeEntry } from './record-change.js';

const Parties = {
  exporterOrgId: Id('org'),
  importerOrgId: Id('org'),
  dataTypes: Type.Array(DataTypeName, { maxItems: 100 }),
  validFrom: Type.Optional(Millis),
  validUntil: Type.Optional(Millis),
  evidenceDigest: Digest,
};
const RecordAgreement = Type.Object(
  {
    kind: Type.Union(
      (['gba-standard-contract', 'standard-contract', 'certification', 'general-data-list-filing'] as const).map((k) =>
        Type.Literal(k),
      ),
    ),
    filedAt: Type.Optional(Millis),
    ...Parties,
  },
  { additionalProperties: false },
);
const RecordApproval = Type.Object(Parties, { additionalProperties: false });

export async function agreementRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  const list = async (actor: Actor, approvals: boolean) => {
    const all = await deps.registry.listAgreements(readsEverything(actor) ? undefined : actor.orgId);
    return { items: all.filter((a) => (a.kind === 'security-assessment') === approvals), next: null };
  };
  app.get('/agreements', async (req) => list(actorOf(req), false));
  app.get('/approvals', async (req) => list(actorOf(req), true));
  for (const path of ['/agreements/:id', '/approvals/:id']) {
    app.get(path, { schema: { params: IdParams } }, async (req) =>
      assertVisible(
        agreementPolicy.read,
        actorOf(req),
        await deps.registry.getAgreement(req.params.id),
        'agreement',
        req.params.id,
      ),
    );
  }

  const build = async (
    actor: Actor,
    b: Static<typeof RecordApproval> & { kind?: Agreement['kind']; filedAt?: number },
  ): Promise<Agreement> => {
    if (b.exporterOrgId === b.importerOrgId) {
      throw new HetaoError('HETAO_REGISTRY_INVALID', 'exporter and importer must be different organizations', {
        field: 'importerOrgId',
      });
    }
    for (const f of ['exporterOrgId', 'importerOrgId'] as const) {
      if (!(await deps.registry.getOrganization(b[f]))) {
        throw new HetaoError('HETAO_STORE_REFERENCE', `${f} is not a registered organization`, { field: f });
      }
    }
    const at = deps.clock.now();
    const validFrom = b.validFrom ?? at;
    if (b.validUntil !== undefined && b.validUntil <= validFrom) {
      throw new HetaoError('HETAO_REGISTRY_INVALID', 'validUntil must be after validFrom', { field: 'validUntil' });
    }
    return {
      id: deps.ids.next('agr'),
      kind: b.kind ?? 'security-assessment',
      exporterOrgId: b.exporterOrgId,
      importerOrgId: b.importerOrgId,
      dataTypes: b.dataTypes,
      filedAt: b.kind ? (b.filedAt ?? null) : at,
      validFrom,
      validUntil: b.validUntil ?? null,
      evidenceDigest: b.evidenceDigest,
      recordedBy: actor.accountId,
      createdAt: at,
    };
  };

  app.post('/agreements', { schema: { body: RecordAgreement } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(roles('org-admin'), actor, 'record agreements');
    const a = await build(actor, req.body);
    assertAllowed(agreementPolicy.record, actor, 'record agreements your organization is not party to', a);
    await deps.registry.insertAgreement(a, changeEntry(deps, actor, 'agreement', a.id, `record-${a.kind}`));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(a);
  });

  app.post('/approvals', { schema: { body: RecordApproval } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(agreementPolicy.approve, actor, 'record security-assessment approvals');
    const a = await build(actor, req.body);
    const exporter = await deps.registry.getOrganization(a.exporterOrgId);
    if (exporter && sideOf(exporter.jurisdiction) !== actor.side) {
      throw new HetaoError('HETAO_API_FORBIDDEN', "only a regulator of the exporter's side may approve its exports");
    }
    await deps.registry.insertAgreement(a, changeEntry(deps, actor, 'approval', a.id, 'approve-security-assessment'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(a);
  });
}
