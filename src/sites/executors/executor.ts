/**
 * The Executor port: how a site agent runs one attempt of a job on its compute centre and follows it to the end.
 * Two adapters exist, `local` (child processes) and `slurm` (sbatch/squeue/sacct/scancel); both pass the same
 * conformance suite (conformance.ts), so the agent never branches on the kind.
 *
 * Identity: an attempt is named by its `attemptId` (the exchange's job id plus the attempt number), unique for the
 * life of the site. The executor derives a marker from it and stamps it on the process or Slurm job, and every
 * read verifies it, so a reused pid or a reused Slurm job id is never mistaken for the attempt.
 */
import { HetaoError } from '../../core/index.js';

export type ExecutorKind = 'local' | 'slurm';

/** One attempt to run. Resources are what the job asked for; the executor reserves or requests exactly these. */
export interface Attempt {
  /** Unique per attempt, 1–100 of `A-Z a-z 0-9 _ . -` (e.g. `job_01J…-1`). Submitting the same id twice is a no-op. */
  readonly attemptId: string;
  readonly jobId: string;
  /** A POSIX shell command line, run by /bin/sh in the working directory. */
  readonly command: string;
  /** Variables the job sets. The job sees only these plus the executor's base set (see each adapter). */
  readonly env?: Readonly<Record<string, string>>;
  /** Absolute working directory; default a fresh `<base dir>/<marker>/work`. Created if missing. */
  readonly workDir?: string;
  /** Whole GPUs; visible to the job as CUDA_VISIBLE_DEVICES="i,j". */
  readonly gpus: number;
  readonly cpus: number;
  /** Memory in GiB (fractions allowed). Slurm enforces it; local records it only. */
  readonly memoryGb: number;
  /** Wall-clock limit in seconds; past it the job ends `timed-out`. Slurm rounds up to whole minutes. */
  readonly timeLimitSeconds: number;
}

/**
 * What submit() returns: plain JSON, to be stored by the agent so that a restarted agent can re-attach.
 * Times are milliseconds since the Unix epoch.
 */
export interface ExecutionHandle {
  readonly kind: ExecutorKind;
  readonly attemptId: string;
  readonly jobId: string;
  /** The executor's stamp on the process / Slurm job (`hetao-<attemptId>`). */
  readonly marker: string;
  readonly submittedAt: number;
  /** The resources reserved for the attempt (reported back as usage). */
  readonly gpus: number;
  readonly cpus: number;
  /** The file holding the job's stdout and stderr, interleaved as written. */
  readonly outputPath: string;
  /** Slurm only: cluster name and job id. The id alone is not unique (ids are reused after a controller crash). */
  readonly cluster?: string;
  readonly slurmJobId?: string;
  /** Local only: the pid of the job's process-group leader (its wrapper shell). */
  readonly pid?: number;
}

/** `lost`: the executor can no longer find the attempt (state removed, Slurm job purged or its id reused). */
export type ExecutionState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed-out' | 'lost';

export const terminalStates: ReadonlySet<ExecutionState> = new Set([
  'succeeded',
  'failed',
  'cancelled',
  'timed-out',
  'lost',
]);

export function isTerminal(state: ExecutionState): boolean {
  return terminalStates.has(state);
}

export interface ExecutionUsage {
  readonly gpus: number;
  readonly cpus: number;
  /** Wall-clock seconds from start to end (or to now while running). */
  readonly wallSeconds?: number;
}

export interface ExecutionStatus {
  readonly state: ExecutionState;
  /** The job's exit status (0–255) when it ended on its own. */
  readonly exitCode?: number;
  /** The signal number that ended it, when known (Slurm `ExitCode` "0:9" -> 9). */
  readonly signal?: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  readonly usage?: ExecutionUsage;
  /** A short human reason from the back end (Slurm's pending reason, "time limit", "cancelled by agent"). */
  readonly reason?: string;
}

export interface LogChunk {
  readonly text: string;
  /** Byte offset to pass next time; equal to the argument when nothing new was written. */
  readonly nextOffset: number;
}

/**
 * Every method may throw HetaoError: HETAO_EXECUTOR_UNAVAILABLE (retry later, state unknown), _REJECTED,
 * _BUSY, _HANDLE_INVALID, _FAILED, _CLOSED. None returns a guessed state when the back end cannot be asked.
 */
export interface Executor {
  readonly kind: ExecutorKind;
  /**
   * Starts (or queues) the attempt. Idempotent per attemptId: if the attempt was already submitted (also by an
   * earlier executor instance that crashed), returns its handle and starts nothing.
   */
  submit(attempt: Attempt): Promise<ExecutionHandle>;
  /** The attempt's current state, read from the back end and verified against the handle's marker. */
  status(handle: ExecutionHandle): Promise<ExecutionStatus>;
  /** Asks the attempt to stop (SIGTERM, then SIGKILL after a grace period). No-op once it has ended. */
  cancel(handle: ExecutionHandle): Promise<void>;
  /** Output from `fromOffset` (bytes) on, at most `maxBytes` (default 1 MiB). Empty before the job writes. */
  logs(handle: ExecutionHandle, fromOffset?: number, maxBytes?: number): Promise<LogChunk>;
  /** Takes over supervision of an attempt from an earlier instance (time limit, GPU reservation); returns status. */
  reattach(handle: ExecutionHandle): Promise<ExecutionStatus>;
  /** The handle of an attempt submitted earlier, by attempt id; undefined if the back end has no trace of it. */
  find(attemptId: string): Promise<ExecutionHandle | undefined>;
  /** Stops supervising; running jobs keep running and can be re-attached by a new instance. */
  close(): Promise<void>;
}

const ATTEMPT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The stamp an attempt carries on the back end; a pure function of the attempt id. */
export function markerFor(attemptId: string): string {
  if (!ATTEMPT_ID.test(attemptId))
    throw new HetaoError(
      'HETAO_EXECUTOR_REJECTED',
      `attemptId must be 1-100 of A-Z a-z 0-9 _ . - (got ${JSON.stringify(attemptId)})`,
      { field: 'attemptId' },
    );
  return `hetao-${attemptId}`;
}

/** Rejects attempts no executor could run; returns the marker. */
export function checkAttempt(attempt: Attempt): string {
  const marker = markerFor(attempt.attemptId);
  const bad = (field: string, rule: string, got: unknown): never => {
    throw new HetaoError('HETAO_EXECUTOR_REJECTED', `${field} must be ${rule} (got ${JSON.stringify(got)})`, {
      field,
    });
  };
  if (!Number.isInteger(attempt.gpus) || attempt.gpus < 0) bad('gpus', 'an integer >= 0', attempt.gpus);
  if (!Number.isInteger(attempt.cpus) || attempt.cpus < 1) bad('cpus', 'an integer >= 1', attempt.cpus);
  if (!(attempt.memoryGb >= 0)) bad('memoryGb', 'a number >= 0', attempt.memoryGb);
  if (!(attempt.timeLimitSeconds > 0)) bad('timeLimitSeconds', 'a number > 0', attempt.timeLimitSeconds);
  if (attempt.command.trim() === '') bad('command', 'a non-empty shell command', attempt.command);
  if (attempt.workDir !== undefined && !attempt.workDir.startsWith('/'))
    bad('workDir', 'an absolute path', attempt.workDir);
  for (const name of Object.keys(attempt.env ?? {}))
    if (!ENV_NAME.test(name)) bad(`env.${name}`, 'a name of A-Z a-z 0-9 _ not starting with a digit', name);
  return marker;
}

/** Throws unless the handle was made by an executor of this kind (and cluster). */
export function checkHandle(handle: ExecutionHandle, kind: ExecutorKind, cluster?: string): void {
  const ok =
    handle !== null &&
    typeof handle === 'object' &&
    handle.kind === kind &&
    typeof handle.attemptId === 'string' &&
    handle.marker === `hetao-${handle.attemptId}` &&
    typeof handle.outputPath === 'string' &&
    (kind !== 'slurm' || (handle.cluster === cluster && typeof handle.slurmJobId === 'string'));
  if (!ok)
    throw new HetaoError(
      'HETAO_EXECUTOR_HANDLE_INVALID',
      `not a handle of this ${kind}${cluster ? ` (${cluster})` : ''} executor: ${JSON.stringify(handle)}`,
    );
}

/**
 * The environment a job starts from on every executor: the job's own variables over a minimal base. HOME is the
 * working directory so that jobs never write into the agent's home.
 */
export function baseEnv(workDir: string): Record<string, string> {
  return { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: workDir, LANG: 'C.UTF-8' };
}
