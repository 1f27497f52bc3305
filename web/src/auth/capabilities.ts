import type { Role } from '../api/types';

/** What each role may do, as the exchange enforces it (docs/api.md); the dashboard offers nothing else. */
export interface Capabilities {
  readonly submitJobs: boolean;
  readonly askFlows: boolean;
  readonly requestFlows: boolean;
  readonly proposeListEntries: boolean;
  readonly changeListLifecycle: boolean;
  readonly readRegistry: boolean;
}

export function capabilitiesOf(role: Role | undefined): Capabilities {
  const member = role === 'org-admin' || role === 'org-member';
  const human = role !== undefined && role !== 'site-agent';
  return {
    submitJobs: member,
    askFlows: human,
    requestFlows: member,
    proposeListEntries: role === 'org-admin' || role === 'regulator',
    changeListLifecycle: role === 'regulator',
    readRegistry: human,
  };
}
