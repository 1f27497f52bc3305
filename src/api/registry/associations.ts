import Type from 'typebox';
import { type Actor, sideOf } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import { flushAfter } from '../../exchange/index.js';
import { ASSOCIATION_BASES, type Association, type AssociationState } from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible, readsEverything } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { associationPolicy } from '../policies/associations.js';
import { Digest, Id, IdParams, Millis, Reason } from '../schemas.js';
import { associationEntry } from './record-association.js';

const Declare = Type.Object(
  {
    orgB: Id('org'),
    basis: Type.Union(ASSOCIATION_BASES.map((b) => Type.Literal(b))),
    shareholdingPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    evidenceDigest: Digest,
    validFrom: Type.Optional(Millis),
    validUntil: Type.Optional(Millis),
  },
  { additionalProperties: false },
);
const Step = Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false });

const NEXT: Record<'confirm' | 'approve' | 'revoke', { from: AssociationState[]; to: AssociationState }> = {
  confirm: { from: ['declared'], to: 'confirmed' },
  approve: { from: ['confirmed'], to: 'approved' },
  revoke: { from: ['declared', 'confirmed', 'approved'], to: 'revoked' },
};

export async function associationRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/associations', async (req) => {
    const actor = actorOf(req);
    const all = readsEverything(actor)
      ? await deps.registry.listAllAssociations()
      : await deps.registry.listAssociationsOf(actor.orgId);
    return { items: all, next: null };
  });

  app.get('/associations/:id', { schema: { params: IdParams } }, async (req) =>
    assertVisible(
      associationPolicy.read,
      actorOf(req),
      await deps.registry.getAssociation(req.params.id),
      'association',
      req.params.id,
    ),
  );

  app.post('/associations', { schema: { body: Declare } }, async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(associationPolicy.declare, actor, 'declare associations');
    const b = req.body;
    if (b.orgB === actor.orgId) {
      throw new HetaoError('HETAO_REGISTRY_INVALID', 'an organization cannot be associated with itself', {
        field: 'orgB',
      });
    }
    if (!(await deps.registry.getOrganization(b.orgB))) {
      throw new HetaoError('HETAO_STORE_REFERENCE', `orgB ${b.orgB} is not a registered organization`, {
        field: 'orgB',
      });
    }
    if (b.basis === 'shareholding' && (b.shareholdingPct ?? 0) < 25) {
      throw new HetaoError(
        'HETAO_REGISTRY_INVALID',
        'a shareholding association needs shareholdingPct of at least 25',
        {
          field: 'shareholdingPct',
        },
      );
    }
    const at = deps.clock.now();
    const validFrom = b.validFrom ?? at;
    if (b.validUntil !== undefined && b.validUntil <= validFrom) {
      throw new HetaoError('HETAO_REGISTRY_INVALID', 'validUntil must be after validFrom', { field: 'validUntil' });
    }
    const a: Association = {
      id: deps.ids.next('assoc'),
      orgA: actor.orgId,
      orgB: b.orgB,
      basis: b.basis,
      shareholdingPct: b.shareholdingPct ?? null,
      evidenceDigest: b.evidenceDigest,
      declaredBy: actor.accountId,
      confirmedBy: null,
      approvedBy: null,
      state: 'declared',
      validFrom,
      validUntil: b.validUntil ?? null,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await deps.registry.insertAssociation(a, associationEntry(deps, 'declare'));
    await flushAfter(deps.ledger.flush);
    return reply.status(201).send(a);
  });

  for (const step of ['confirm', 'approve', 'revoke'] as const) {
    app.post(
      `/associations/:id/${step}`,
      {
        schema: { params: IdParams, body: Step },
        // The body (an optional reason) may be left out entirely.
        preValidation: async (req) => {
          if (req.body === undefined) req.body = {};
        },
      },
      async (req) => {
        const actor = actorOf(req);
        const a = assertVisible(
          associationPolicy.read,
          actor,
          await deps.registry.getAssociation(req.params.id),
          'association',
          req.params.id,
        );
        assertAllowed(associationPolicy[step], actor, `${step} this association`, a);
        // A regulator approves or revokes only associations with an organization on its own side.
        if (step === 'approve' || (step === 'revoke' && actor.role === 'regulator'))
          await assertRegulatorSide(deps, actor, a, step);
        if (!NEXT[step].from.includes(a.state)) {
          throw new HetaoError('HETAO_REGISTRY_TRANSITION', `cannot ${step} an association that is ${a.state}`, {
            field: 'state',
          });
        }
        const patch: Partial<Association> =
          step === 'confirm'
            ? { state: 'confirmed', confirmedBy: actor.accountId }
            : step === 'approve'
              ? { state: 'approved', approvedBy: actor.accountId }
              : { state: 'revoked' };
        const next = await deps.registry.updateAssociation(
          a.id,
          a.version,
          patch,
          deps.clock.now(),
          associationEntry(deps, step),
        );
        await flushAfter(deps.ledger.flush);
        return next;
      },
    );
  }
}

async function assertRegulatorSide(deps: ApiDeps, actor: Actor, a: Association, step: string): Promise<void> {
  const [x, y] = await Promise.all([deps.registry.getOrganization(a.orgA), deps.registry.getOrganization(a.orgB)]);
  const sides = [x, y].map((o) => (o ? sideOf(o.jurisdiction) : null));
  if (!sides.includes(actor.side)) {
    throw new HetaoError(
      'HETAO_API_FORBIDDEN',
      `a ${actor.side ?? 'unknown'}-side regulator may not ${step} an association between ${sides.join(' and ')} organizations`,
    );
  }
}
