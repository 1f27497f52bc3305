import type { Actor } from '../../access/index.js';
import type { Scenario } from '../../registry/index.js';
import { anyone, type Rule, roles } from '../auth/rules.js';

const participant = (a: Actor, s?: Scenario) => s?.participants.some((p) => p.orgId === a.orgId) ?? false;

/**
 * Scenarios and their general data lists are public to every account. Regulators and the operator create
 * scenarios; a participant's org-admin or a regulator proposes a type; the pilot zone's (Mainland-side)
 * regulator moves entries through the lifecycle.
 */
export const scenarioPolicy = {
  list: anyone,
  read: anyone,
  create: roles('exchange-admin', 'regulator'),
  addParticipant: roles('exchange-admin', 'regulator'),
  propose: ((a: Actor, s?: Scenario) =>
    a.role === 'regulator' || (a.role === 'org-admin' && participant(a, s))) as Rule<Scenario>,
  lifecycle: ((a: Actor) => a.role === 'regulator' && a.side === 'mainland') as Rule<Scenario>,
};
