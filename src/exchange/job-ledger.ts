import type { LedgerEntry } from '../ledger/index.js';
import type { JobTransition } from '../scheduler/job-state.js';

/** Ledger entry codes are lowercase words; free text (which could carry personal data) never reaches the log. */
export function reasonCode(reason: string): string {
  const code = reason
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return code || 'unspecified';
}

export function stateChangeEntry(t: JobTransition, code: string): LedgerEntry {
  return {
    type: 'job-state-change',
    v: 1,
    jobId: t.jobId,
    at: t.at,
    from: t.from,
    to: t.to,
    reason: reasonCode(code),
  } as unknown as LedgerEntry;
}

export function placementEntry(jobId: string, orgId: string, siteId: string, at: number, code: string): LedgerEntry {
  return { type: 'job-placement', v: 1, jobId, at, orgId, siteId, reason: reasonCode(code) } as unknown as LedgerEntry;
}
