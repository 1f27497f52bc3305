import type { ExecutionState } from '../executor.js';

/**
 * Slurm job state (squeue %T, sacct State; sacct may add " by UID") -> Hetao's. Unknown states read as running:
 * the job exists and has not ended as far as we can tell, and the next poll will see its final state.
 */
export function mapSlurmState(slurmState: string): ExecutionState {
  const s = slurmState.split(' ')[0]?.replace(/\+$/, '') ?? '';
  switch (s) {
    case 'PENDING':
    case 'CONFIGURING':
    case 'REQUEUED':
    case 'REQUEUE_HOLD':
    case 'REQUEUE_FED':
    case 'RESV_DEL_HOLD':
      return 'pending';
    case 'COMPLETED':
      return 'succeeded';
    case 'FAILED':
    case 'NODE_FAIL':
    case 'OUT_OF_MEMORY':
    case 'BOOT_FAIL':
    case 'PREEMPTED':
    case 'SPECIAL_EXIT':
      return 'failed';
    case 'CANCELLED':
    case 'REVOKED':
      return 'cancelled';
    case 'TIMEOUT':
    case 'DEADLINE':
      return 'timed-out';
    default:
      return 'running'; // RUNNING, COMPLETING, SUSPENDED, STOPPED, SIGNALING, STAGE_OUT, RESIZING
  }
}

/**
 * Slurm's ExitCode "code:signal" ("3:0" exit 3; "0:9" killed by signal 9). A signal, when present, is reported
 * instead of the (meaningless) code.
 */
export function parseExitCode(text: string | undefined): { exitCode?: number; signal?: number } {
  const m = /^(\d+):(\d+)$/.exec(text ?? '');
  if (!m) return {};
  const code = Number(m[1]);
  const signal = Number(m[2]);
  return signal > 0 ? { signal } : { exitCode: code };
}
