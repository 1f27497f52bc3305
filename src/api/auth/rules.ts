import type { Actor, Role } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';

/**
 * Declarative authorization. Each resource has a policy file mapping its actions to rules; a rule answers
 * whether the actor may act, given the object when there is one. Reads of objects an actor may not see answer
 * 404 (ids cannot be probed); other refusals answer 403 naming the roles that may.
 */
export type Rule<T = unknown> = ((actor: Actor, object?: T) => boolean) & { readonly roles?: readonly Role[] };

export function roles<T = unknown>(...allowed: Role[]): Rule<T> {
  const rule = ((actor: Actor) => allowed.includes(actor.role)) as Rule<T>;
  return Object.assign(rule, { roles: allowed });
}

export const readsEverything = (a: Actor): boolean => a.role === 'exchange-admin' || a.role === 'regulator';

/** Members of the owning organization, or those who read everything. */
export function ownerOrOverseer<T>(orgOf: (o: T) => readonly string[]): Rule<T> {
  return ((a: Actor, o?: T) => readsEverything(a) || (o !== undefined && orgOf(o).includes(a.orgId))) as Rule<T>;
}

export const anyone: Rule = () => true;
export const people: Rule = roles('exchange-admin', 'regulator', 'org-admin', 'org-member');

export function assertAllowed<T>(rule: Rule<T>, actor: Actor, what: string, object?: T): void {
  if (rule(actor, object)) return;
  const who = rule.roles ? ` (allowed: ${rule.roles.join(', ')})` : '';
  throw new HetaoError('HETAO_API_FORBIDDEN', `a ${actor.role} may not ${what}${who}`);
}

/** For reads: an object the actor may not see does not exist, as far as it can tell. */
export function assertVisible<T>(
  rule: Rule<T>,
  actor: Actor,
  object: T | null | undefined,
  what: string,
  id: string,
): T {
  if (object && rule(actor, object)) return object;
  throw new HetaoError('HETAO_API_NOT_FOUND', `no ${what} ${id}`, { field: 'id' });
}
