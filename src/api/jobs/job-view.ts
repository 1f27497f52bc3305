import type { JobTransition } from '../../scheduler/job-state.js';
import type { JobRecord } from '../../scheduler/job-store.js';

/** The job as the API shows it (contract.md): placement {site, explanation}, execution {executor, cluster?, slurmJobId?}. */
export function jobView(j: JobRecord, events?: readonly JobTransition[]) {
  const e = j.execution;
  return {
    id: j.id,
    orgId: j.orgId,
    name: j.name,
    state: j.state,
    spec: j.spec,
    submittedAt: j.submittedAt,
    updatedAt: j.updatedAt,
    startedAt: j.startedAt,
    endedAt: j.endedAt,
    attempt: j.attempt,
    waitingReason: j.waitingReason,
    placement: j.placement
      ? {
          site: j.placement.siteId,
          siteName: j.placement.siteName,
          gpuType: j.placement.gpuType,
          explanation: j.placement.explanation,
          alternatives: j.placement.alternatives,
        }
      : null,
    execution: e
      ? {
          executor: e.executor,
          ...(e.cluster ? { cluster: e.cluster } : {}),
          ...(e.slurmJobId !== undefined ? { slurmJobId: e.slurmJobId } : {}),
          ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}),
          ...(e.signal ? { signal: e.signal } : {}),
        }
      : null,
    cost: j.cost,
    ...(events ? { events: events.map(({ from, to, at, reason }) => ({ from, to, at, reason })) } : {}),
  };
}
