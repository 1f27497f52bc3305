import { defineErrors } from './define.js';

/**
 * Sites: the agent protocol and the job executors (src/sites/executors). A 503 here means "retry later, nothing
 * was decided": callers may repeat the same call (executor submits are idempotent per attempt id).
 */
export const sitesErrors = defineErrors('sites', {
  HETAO_EXECUTOR_UNAVAILABLE: {
    status: 503,
    summary: 'the compute back end (Slurm controller or local process table) cannot be reached right now',
    fix: 'Retry later with the same handle or attempt id; check that slurmctld is running (`scontrol ping`).',
  },
  HETAO_EXECUTOR_REJECTED: {
    status: 422,
    summary: 'the executor refused the job as submitted (resources beyond the site, bad partition or options)',
    fix: 'Ask for no more GPUs, CPUs or memory than the site has, or fix the option the message names.',
  },
  HETAO_EXECUTOR_BUSY: {
    status: 503,
    summary: 'the local executor has not enough free GPUs for the job now',
    fix: 'Retry after running jobs end, or dispatch fewer GPU jobs to this site at once.',
  },
  HETAO_EXECUTOR_HANDLE_INVALID: {
    status: 400,
    summary: 'an execution handle or attempt id is malformed or belongs to another executor',
    fix: 'Pass the handle exactly as submit() returned it, to an executor of the same kind and cluster.',
  },
  HETAO_EXECUTOR_FAILED: {
    status: 500,
    summary: 'an executor operation failed unexpectedly (spawn error, unreadable output, file system error)',
    fix: 'Read the cause in the message (command, exit status, stderr) and fix the site set-up it points at.',
  },
  HETAO_EXECUTOR_CLOSED: {
    status: 500,
    summary: 'the executor was used after close()',
    fix: 'Create a new executor (createExecutor) and re-attach running jobs with reattach(handle).',
  },
  HETAO_AGENT_FENCED: {
    status: 409,
    summary: 'the lease this report or heartbeat carries expired or was superseded (fencing token too old)',
    fix: 'Stop the attempt: the exchange requeued the job and another attempt may run. Lease new work.',
  },
  HETAO_AGENT_SITE: {
    status: 403,
    summary: "the site-agent token is not for this site, or the job is not at this token's site",
    fix: 'Run the agent with the token issued for its site (`hetao admin token create --role site-agent --site ID`).',
  },
  HETAO_AGENT_REPORT: {
    status: 422,
    summary: 'the reported state is not a possible next state of the job',
    fix: 'Report running, then one of succeeded, failed, timed-out or cancelled, for the attempt you leased.',
  },
});
