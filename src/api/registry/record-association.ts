import type { LedgerEntry } from '../../ledger/index.js';
import type { Association } from '../../registry/index.js';
import type { ApiDeps } from '../deps.js';

/** The ledger entry of one association step: who, which step, and the evidence digest — never the evidence. */
export function recordAssociation(
  deps: ApiDeps,
  a: Association,
  action: 'declare' | 'confirm' | 'approve' | 'revoke',
): Promise<number> {
  const entry = {
    type: 'association-change',
    v: 1,
    changeId: deps.ids.next('chg'),
    at: deps.clock.now(),
    orgId: a.orgA,
    relatedOrgId: a.orgB,
    action,
    evidenceDigest: a.evidenceDigest,
  };
  return deps.ledger.record(entry as unknown as LedgerEntry);
}
