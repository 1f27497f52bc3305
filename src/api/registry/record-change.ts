import { createHash } from 'node:crypto';
import type { Actor } from '../../access/index.js';
import { encodeEntry, type LedgerEntry } from '../../ledger/index.js';
import type { LedgerEntryOf } from '../../registry/index.js';
import type { ApiDeps } from '../deps.js';

/** Kinds of registry object whose changes the ledger records. */
export type RegistryObject = 'organization' | 'site' | 'data-type' | 'dataset' | 'scenario' | 'agreement' | 'approval';

/** Canonical JSON (sorted keys) so the digest of an object does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

export function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * The one ledger entry a registry change leaves, for the store to stage with the change (LedgerEntryOf): ids, the
 * action and a digest of the object as stored, never the object itself (it may name people or describe data).
 */
export function changeEntry<T>(
  deps: Pick<ApiDeps, 'ids' | 'clock'>,
  actor: Pick<Actor, 'orgId'>,
  object: RegistryObject,
  objectId: string,
  action: string,
): LedgerEntryOf<T> {
  const changeId = deps.ids.next('chg');
  const at = deps.clock.now();
  return (stored) =>
    encodeEntry({
      type: 'registry-change',
      v: 1,
      changeId,
      at,
      actorOrgId: actor.orgId,
      object,
      objectId,
      action,
      objectDigest: digestOf(stored),
    } as unknown as LedgerEntry);
}
