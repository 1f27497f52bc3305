import { createIdGenerator } from '../../core/index.js';
import { type JobRecord, newJob } from '../job-store.js';

const T0 = Date.UTC(2026, 10, 1);
let seq = 0;
const ids = createIdGenerator(() => T0 + seq++);

/**
 * A valid job record for store and exchange tests (queued, nowhere yet, on `gpus` GPUs, default 1); override any
 * field.
 */
export function jobRecord(orgId: string, over: Partial<JobRecord> & { gpus?: number } = {}): JobRecord {
  const { gpus = 1, ...fields } = over;
  const id = fields.id ?? ids.next('job');
  const spec = {
    name: `job-${id.slice(-8)}`,
    resources: { gpus, gpuTypes: [], cpus: 4, memoryGb: 16, timeLimitMinutes: 60 },
    datasets: [],
    run: 'true',
    env: {},
    priority: 0,
    preemptible: false,
  };
  return { ...newJob({ id, orgId, submittedBy: 'acct_test', spec, at: T0, waitingReason: null }), ...fields };
}
