import { encodeEntry, type LedgerEntry } from '../../ledger/index.js';
import type { ListEntry, Scenario } from '../../registry/index.js';
import type { ApiDeps } from '../deps.js';
import { digestOf } from './record-change.js';

/**
 * The ledger entry of one general-data-list step, with the entry's new version and a digest of it, as canonical
 * bytes: the store stages it with the step (insertListEntry, saveListTransition).
 */
export function listChangeEntry(deps: ApiDeps, s: Scenario, e: ListEntry, action: string, reason: string): Uint8Array {
  const entry = {
    type: 'list-change',
    v: 1,
    changeId: deps.ids.next('chg'),
    at: e.updatedAt,
    scenario: s.name,
    dataType: e.dataType,
    action,
    listVersion: String(e.version),
    documentDigest: digestOf({ entry: e, reason }),
  };
  return encodeEntry(entry as unknown as LedgerEntry);
}
