import Type from 'typebox';
import { HetaoError } from '../../core/index.js';
import { flushAfter } from '../../exchange/index.js';
import {
  applyListAction,
  type ListAction,
  type ListActionKind,
  type ListEntry,
  proposeListEntry,
  type Scenario,
} from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { scenarioPolicy } from '../policies/scenarios.js';
import { DataTypeName, Digest, Id, IdParams, Millis, Name, Reason, Slug, Zone } from '../schemas.js';
import { changeEntry } from './record-change.js';
import { listChangeEntry } from './record-list-change.js';

const CreateScenario = Type.Object(
  {
    name: Slug,
    title: Name,
    zone: Type.Optional(Zone),
    participants: Type.Optional(
      Type.Array(
        Type.Object(
          { orgId: Id('org'), role: Type.Union([Type.Literal('lead'), Type.Literal('participant')]) },
          { additionalProperties: false },
        ),
        {
          maxItems: 100,
        },
      ),
    ),
  },
  { additionalProperties: false },
);
const AddParticipant = Type.Object(
  { orgId: Id('org'), role: Type.Union([Type.Literal('lead'), Type.Literal('participant')]) },
  { additionalProperties: false },
);
const Propose = Type.Object(
  { scenarioId: Id('scn'), dataType: DataTypeName, reason: Reason },
  { additionalProperties: false },
);
const StepBody = Type.Object(
  {
    reason: Reason,
    result: Type.Optional(Type.Union([Type.Literal('safe'), Type.Literal('unsafe')])),
    evidenceDigest: Type.Optional(Digest),
    effectiveFrom: Type.Optional(Millis),
  },
  { additionalProperties: false },
);

const ACTIONS: readonly ListActionKind[] = ['pilot', 'assess', 'list', 'suspend', 'reinstate', 'revoke'];

export async function scenarioRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/scenarios', async () => ({ items: await deps.registry.listScenarios(), next: null }));
  app.get('/scenarios/:id', { schema: { params: IdParams } }, async (req) =>
    assertVisible(
      scenarioPolicy.read,
      actorOf(req),
      await deps.registry.getScenario(req.params.id),
      'scenario',
      req.params.id,
    ),
  );

  app.post('/scenarios', { schema: { body: CreateScenario } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(scenarioPolicy.create, actor, 'create scenarios');
    const at = deps.clock.now();
    const participants = req.body.participants ?? [];
    for (const [i, p] of participants.entries()) {
      if (!(await deps.registry.getOrganization(p.orgId))) {
        throw new HetaoError('HETAO_STORE_REFERENCE', `participants.${i}.orgId is not a registered organization`, {
          field: `participants.${i}.orgId`,
        });
      }
    }
    const s: Scenario = {
      id: deps.ids.next('scn'),
      name: req.body.name,
      title: req.body.title,
      zone: req.body.zone ?? null,
      participants,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await deps.registry.insertScenario(s, changeEntry(deps, actor, 'scenario', s.id, 'create'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(s);
  });

  app.post('/scenarios/:id/participants', { schema: { params: IdParams, body: AddParticipant } }, async (req) => {
    const actor = actorOf(req);
    assertAllowed(scenarioPolicy.addParticipant, actor, 'add scenario participants');
    const s = assertVisible(
      scenarioPolicy.read,
      actor,
      await deps.registry.getScenario(req.params.id),
      'scenario',
      req.params.id,
    );
    if (!(await deps.registry.getOrganization(req.body.orgId))) {
      throw new HetaoError('HETAO_STORE_REFERENCE', 'orgId is not a registered organization', { field: 'orgId' });
    }
    const next = await deps.registry.putParticipant(
      s.id,
      s.version,
      req.body,
      deps.clock.now(),
      changeEntry(deps, actor, 'scenario', s.id, 'add-participant'),
    );
    await flushAfter(deps.ledger.flush);
    return next;
  });

  app.get(
    '/general-data-list',
    { schema: { querystring: Type.Object({ scenario: Type.Optional(Type.String({ maxLength: 64 })) }) } },
    async (req) => {
      const scenarios = req.query.scenario
        ? [req.query.scenario]
        : (await deps.registry.listScenarios()).map((s) => s.id);
      const items: ListEntry[] = [];
      for (const id of scenarios) items.push(...(await deps.registry.listEntriesOf(id)));
      return { items, next: null };
    },
  );

  app.get('/general-data-list/:id/history', { schema: { params: IdParams } }, async (req) => {
    const e = await deps.registry.getListEntry(req.params.id);
    if (!e) throw new HetaoError('HETAO_API_NOT_FOUND', `no list entry ${req.params.id}`, { field: 'id' });
    const history = await deps.registry.listEntryHistory(e.id);
    return { items: history.map(({ entry: _e, ...h }) => h), next: null };
  });

  app.post('/general-data-list', { schema: { body: Propose } }, async (req, reply) => {
    const actor = actorOf(req);
    const s = await deps.registry.getScenario(req.body.scenarioId);
    if (!s) throw new HetaoError('HETAO_STORE_REFERENCE', 'scenarioId is not a scenario', { field: 'scenarioId' });
    assertAllowed(scenarioPolicy.propose, actor, 'propose list entries for this scenario', s);
    if (!(await deps.registry.getDataType(req.body.dataType))) {
      throw new HetaoError('HETAO_STORE_REFERENCE', `dataType ${req.body.dataType} is not defined`, {
        field: 'dataType',
      });
    }
    const { entry, record } = proposeListEntry(
      deps.ids.next('gdl'),
      s.id,
      req.body.dataType,
      actor.accountId,
      req.body.reason,
      deps.clock.now(),
    );
    await deps.registry.insertListEntry(entry, record, listChangeEntry(deps, s, entry, 'propose', req.body.reason));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(entry);
  });

  for (const kind of ACTIONS) {
    app.post(`/general-data-list/:id/${kind}`, { schema: { params: IdParams, body: StepBody } }, async (req) => {
      const actor = actorOf(req);
      const e = await deps.registry.getListEntry(req.params.id);
      if (!e) throw new HetaoError('HETAO_API_NOT_FOUND', `no list entry ${req.params.id}`, { field: 'id' });
      const s = (await deps.registry.getScenario(e.scenarioId)) as Scenario;
      if (!scenarioPolicy.lifecycle(actor, s)) {
        throw new HetaoError(
          'HETAO_API_FORBIDDEN',
          `only a Mainland-side regulator may ${kind} general data list entries`,
        );
      }
      const at = deps.clock.now();
      const b = req.body;
      let action: ListAction;
      if (kind === 'assess') {
        if (!b.result || !b.evidenceDigest) {
          throw new HetaoError('HETAO_API_VALIDATION', 'assess needs result and evidenceDigest', {
            field: b.result ? 'evidenceDigest' : 'result',
          });
        }
        action = { kind, assessment: { by: actor.accountId, at, result: b.result, evidenceDigest: b.evidenceDigest } };
      } else if (kind === 'list') {
        action = { kind, effectiveFrom: b.effectiveFrom ?? at };
      } else {
        action = { kind } as ListAction;
      }
      const { entry, record } = applyListAction(e, action, actor.accountId, b.reason, at);
      await deps.registry.saveListTransition(entry, e.version, record, listChangeEntry(deps, s, entry, kind, b.reason));
      await flushAfter(deps.ledger.flush);
      return entry;
    });
  }
}
