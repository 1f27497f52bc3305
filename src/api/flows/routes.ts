import Type, { type Static } from 'typebox';
import { type Decision, decideInput, decisionJson } from '../../policy/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, readsEverything } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { flowPolicy } from '../policies/flows.js';
import { Id, PageQuery, pageOf } from '../schemas.js';
import { requestFlow } from './flow-service.js';

/**
 * The rulebook's Output, declared for the API documentation. The reply is mostly condition texts and parameters
 * that decide() shares between decisions, so the route writes it with decisionJson, which escapes only the
 * explanation per request.
 */
const DecisionSchema = Type.Object({
  decision: Type.String(),
  channel: Type.String(),
  ruleId: Type.String(),
  sources: Type.Array(Type.String()),
  conditions: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
  explanation: Type.String(),
  rulebookVersion: Type.String(),
  parameters: Type.Object({
    gbaContractLiftsVolumeCaps: Type.Boolean(),
    generalDataListZones: Type.Array(Type.String()),
    assessmentPiThreshold: Type.Number(),
    assessmentSensitiveThreshold: Type.Number(),
    exemptPiThreshold: Type.Number(),
  }),
});

const RequestFlow = Type.Object(
  {
    datasetId: Id('ds'),
    importerOrgId: Id('org'),
    purpose: Type.String({ minLength: 1, maxLength: 200 }),
    scenarioId: Type.Optional(Id('scn')),
    origin: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('abroad')])),
    onwardTransferOutsideGba: Type.Optional(Type.Boolean()),
    gbaStandardContractElected: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export async function flowRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  // The body is validated by the policy engine's own schema, so its codes name the field exactly as the CLI does.
  app.post(
    '/flows/decide',
    {
      // A what-if: it records nothing, so a retry needs no idempotency key (and the hot path skips its hooks).
      config: { changesNothing: true },
      schema: { response: { 200: DecisionSchema } },
      serializerCompiler: () => (data) => decisionJson(data as Decision),
    },
    // Synchronous (the engine is): the reply is sent without a promise and a microtask per request.
    (req, reply) => {
      assertAllowed(flowPolicy.decide, actorOf(req), 'ask flow questions');
      reply.send(decideInput(req.body, deps.policyParams) as unknown as Static<typeof DecisionSchema>);
    },
  );

  app.post('/flows', { schema: { body: RequestFlow } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(flowPolicy.request, actor, 'request flows');
    return reply.status(201).send(await requestFlow(deps, actor, req.body));
  });

  const ListFlows = Type.Object({
    ...PageQuery.properties,
    since: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })),
  });
  app.get('/flows', { schema: { querystring: ListFlows } }, async (req) => {
    const actor = actorOf(req);
    assertAllowed(flowPolicy.list, actor, 'list flows');
    const filter = {
      ...(readsEverything(actor) ? {} : { orgId: actor.orgId }),
      ...(req.query.since ? { since: Number(req.query.since) } : {}),
    };
    return deps.registry.listFlows(filter, pageOf(req.query));
  });

  app.get(
    '/stats/flows',
    { schema: { querystring: Type.Object({ since: Type.Optional(Type.String({ pattern: '^[0-9]{1,16}$' })) }) } },
    async (req) => {
      const actor = actorOf(req);
      assertAllowed(flowPolicy.list, actor, 'see flow statistics');
      return flowCounts(
        deps,
        readsEverything(actor) ? undefined : actor.orgId,
        Number(req.query.since ?? startOfDay(deps.clock.now())),
      );
    },
  );
}

export function startOfDay(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
}

export function flowCounts(
  deps: ApiDeps,
  orgId: string | undefined,
  since: number,
): Promise<Readonly<Record<string, number>>> {
  return deps.registry.countFlows({ ...(orgId ? { orgId } : {}), since });
}
