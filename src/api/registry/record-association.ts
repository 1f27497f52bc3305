import { encodeEntry, type LedgerEntry } from '../../ledger/index.js';
import type { Association, LedgerEntryOf } from '../../registry/index.js';
import type { ApiDeps } from '../deps.js';

/**
 * The ledger entry of one association step, for the store to stage with it: who, which step, and the evidence
 * digest, never the evidence.
 */
export function associationEntry(
  deps: ApiDeps,
  action: 'declare' | 'confirm' | 'approve' | 'revoke',
): LedgerEntryOf<Association> {
  const changeId = deps.ids.next('chg');
  const at = deps.clock.now();
  return (a) =>
    encodeEntry({
      type: 'association-change',
      v: 1,
      changeId,
      at,
      orgId: a.orgA,
      relatedOrgId: a.orgB,
      action,
      evidenceDigest: a.evidenceDigest,
    } as unknown as LedgerEntry);
}
