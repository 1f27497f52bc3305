import type { Actor } from '../../access/index.js';
import type { Agreement } from '../../registry/index.js';
import { anyone, ownerOrOverseer, type Rule, roles } from '../auth/rules.js';

const party = (a: Actor, x?: Agreement) =>
  x !== undefined && (x.exporterOrgId === a.orgId || x.importerOrgId === a.orgId);

/**
 * Agreements (contracts, certifications, pilot filings) are recorded by an org-admin of a party; approvals
 * (security assessments) by a regulator of the exporter's side. Parties and overseers see them.
 */
export const agreementPolicy = {
  list: anyone,
  read: ownerOrOverseer<Agreement>((x) => [x.exporterOrgId, x.importerOrgId]),
  record: ((a: Actor, x?: Agreement) => a.role === 'org-admin' && party(a, x)) as Rule<Agreement>,
  approve: roles<Agreement>('regulator'),
};
