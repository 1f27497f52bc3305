import type { Actor } from '../../access/index.js';
import type { Association } from '../../registry/index.js';
import { anyone, ownerOrOverseer, type Rule, roles } from '../auth/rules.js';

const party = (a: Actor, x?: Association) => x !== undefined && (x.orgA === a.orgId || x.orgB === a.orgId);
const orgAdmin = (a: Actor) => a.role === 'org-admin';

/**
 * Associations are declared by one side (its org-admin), confirmed by the other, approved by a regulator of
 * either party's side; either party or a regulator of either party's side may revoke (the side is checked by the
 * route). Parties and overseers see them.
 */
export const associationPolicy = {
  list: anyone,
  read: ownerOrOverseer<Association>((x) => [x.orgA, x.orgB]),
  declare: roles<Association>('org-admin'),
  confirm: ((a: Actor, x?: Association) => orgAdmin(a) && x?.orgB === a.orgId) as Rule<Association>,
  approve: roles<Association>('regulator'),
  revoke: ((a: Actor, x?: Association) => (orgAdmin(a) && party(a, x)) || a.role === 'regulator') as Rule<Association>,
};
