import type { Actor } from '../../access/index.js';
import type { JobRecord } from '../../scheduler/job-store.js';
import { ownerOrOverseer, people, type Rule, roles } from '../auth/rules.js';

/** Jobs are seen by their organization and by overseers; members submit and cancel their organization's jobs. */
export const jobPolicy = {
  list: people,
  read: ownerOrOverseer<JobRecord>((j) => [j.orgId]),
  submit: roles('org-admin', 'org-member'),
  cancel: ((a: Actor, j?: JobRecord) =>
    a.role === 'exchange-admin' ||
    ((a.role === 'org-admin' || a.role === 'org-member') && j?.orgId === a.orgId)) as Rule<JobRecord>,
};
