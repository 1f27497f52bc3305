import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, HetaoError, systemClock } from '../../../core/index.js';
import {
  type Attempt,
  checkAttempt,
  checkHandle,
  type ExecutionHandle,
  type ExecutionStatus,
  type Executor,
  isTerminal,
  type LogChunk,
  markerFor,
} from '../executor.js';
import { readLog } from '../log-reader.js';
import { batchScript, slurmMinutes } from './batch-script.js';
import { runSlurm, type SlurmCliOptions } from './slurm-cli.js';
import { parseSacct, parseSqueue, SACCT_FIELDS, type SlurmJobRow, SQUEUE_FORMAT } from './slurm-records.js';
import { mapSlurmState, parseExitCode } from './slurm-states.js';

export interface SlurmExecutorOptions {
  /** The cluster's name as handles record it (e.g. `sz`); a handle of another cluster is refused. */
  readonly cluster: string;
  /** Path of the cluster's slurm.conf, passed to every command as SLURM_CONF. */
  readonly conf: string;
  /**
   * Directory shared with the compute nodes (same path on both), one subdirectory per attempt: the batch script,
   * the output file, the default working directory, the stored handle.
   */
  readonly jobsDir: string;
  /** Partition for sbatch `-p`; default the cluster's default partition. */
  readonly partition?: string;
  /** A Slurm command running longer (ms) counts as the controller unavailable. Default 20000 (sbatch gives up at ~9 s). */
  readonly commandTimeoutMs?: number;
  /** How far (ms) Slurm's submit time may precede the handle's before the row is not ours. Default 120000. */
  readonly clockSkewMs?: number;
  readonly clock?: Clock;
}

/**
 * Runs attempts as Slurm batch jobs via sbatch/squeue/sacct -c/scancel (no slurmdbd needed: finished jobs come
 * from the jobcomp file). Slurm job ids are not unique across a controller crash, so every row is matched on
 * (job id, job name = marker, submit time); a handle whose job no longer matches is `lost`. Slurm enforces the
 * time limit, GPUs (--gres) and memory. Times from Slurm are read in the agent's local time zone.
 */
export class SlurmExecutor implements Executor {
  readonly kind = 'slurm' as const;
  readonly #o: Required<Omit<SlurmExecutorOptions, 'partition'>> & { partition?: string };
  readonly #cli: SlurmCliOptions;
  readonly #inFlight = new Map<string, Promise<ExecutionHandle>>();
  #closed = false;

  constructor(options: SlurmExecutorOptions) {
    this.#o = { commandTimeoutMs: 20_000, clockSkewMs: 120_000, clock: systemClock, ...options };
    this.#cli = { conf: options.conf, timeoutMs: this.#o.commandTimeoutMs };
  }

  submit(attempt: Attempt): Promise<ExecutionHandle> {
    let marker: string;
    try {
      this.#open();
      marker = checkAttempt(attempt);
    } catch (err) {
      return Promise.reject(err);
    }
    const running = this.#inFlight.get(marker);
    if (running) return running;
    const p = this.#submit(attempt, marker).finally(() => this.#inFlight.delete(marker));
    this.#inFlight.set(marker, p);
    return p;
  }

  /**
   * The attempt directory is the intent record: made before sbatch, the handle written after. A directory
   * without a handle means an earlier submit was interrupted, so Slurm is asked by marker before submitting again.
   */
  async #submit(attempt: Attempt, marker: string): Promise<ExecutionHandle> {
    const dir = join(this.#o.jobsDir, marker);
    const stored = await this.#storedHandle(marker);
    if (stored) return stored;
    const fresh = await mkdir(dir, { recursive: true }).then(
      (made) => made !== undefined,
      (err) => {
        throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot create ${dir}`, { cause: err });
      },
    );
    if (!fresh) {
      const found = await this.#findInSlurm(attempt.attemptId, marker, attempt);
      if (found) return this.#store(found);
    }
    const workDir = attempt.workDir ?? join(dir, 'work');
    const outputPath = join(dir, 'output.log');
    const script = join(dir, 'job.sh');
    try {
      await mkdir(workDir, { recursive: true });
      await writeFile(script, batchScript(attempt, marker, workDir), { mode: 0o755 });
    } catch (err) {
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot write ${script}`, { cause: err });
    }
    const args = [
      '--parsable',
      `--job-name=${marker}`,
      `--comment=${marker} job=${attempt.jobId.replace(/[^\w.-]/g, '_')} gpus=${attempt.gpus} cpus=${attempt.cpus}`,
      '-D',
      workDir,
      '-o',
      outputPath,
      '--export=NIL',
      '-N1',
      '-n1',
      `--cpus-per-task=${attempt.cpus}`,
      `--time=${slurmMinutes(attempt.timeLimitSeconds)}`,
      ...(attempt.memoryGb > 0 ? [`--mem=${Math.ceil(attempt.memoryGb * 1024)}M`] : []),
      ...(attempt.gpus > 0 ? [`--gres=gpu:${attempt.gpus}`] : []),
      ...(this.#o.partition ? [`--partition=${this.#o.partition}`] : []),
      script,
    ];
    const submittedAt = this.#o.clock.now();
    const out = await runSlurm('sbatch', args, this.#cli, 'HETAO_EXECUTOR_REJECTED');
    const id = /^(\d+)/.exec(out.trim())?.[1];
    if (!id) throw new HetaoError('HETAO_EXECUTOR_FAILED', `sbatch printed no job id: ${JSON.stringify(out)}`);
    return this.#store(this.#handle(attempt.attemptId, attempt.jobId, marker, id, submittedAt, attempt));
  }

  async status(handle: ExecutionHandle): Promise<ExecutionStatus> {
    this.#open();
    checkHandle(handle, 'slurm', this.#o.cluster);
    const live = (await this.#squeue(handle.marker)).filter((r) => this.#matches(r, handle)).at(-1);
    if (live && !isTerminal(mapSlurmState(live.state))) return this.#toStatus(live, handle);
    const done = (await this.#sacct(['-j', handle.slurmJobId as string])).filter((r) => this.#matches(r, handle));
    const row = done.at(-1) ?? live;
    if (row) return this.#toStatus(row, handle);
    return {
      state: 'lost',
      reason: `no job ${handle.slurmJobId} named ${handle.marker} in squeue or the jobcomp file of ${this.#o.cluster}`,
    };
  }

  /**
   * scancel filtered by name: Slurm itself refuses to touch a reused job id that is not this attempt's. scancel
   * fails on a job that has just ended; that counts as done once status() confirms the end.
   */
  async cancel(handle: ExecutionHandle): Promise<void> {
    if (isTerminal((await this.status(handle)).state)) return;
    try {
      await runSlurm('scancel', [`--name=${handle.marker}`, handle.slurmJobId as string], this.#cli);
    } catch (err) {
      if (err instanceof HetaoError && err.code === 'HETAO_EXECUTOR_UNAVAILABLE') throw err;
      if (!isTerminal((await this.status(handle)).state)) throw err;
    }
  }

  async logs(handle: ExecutionHandle, fromOffset = 0, maxBytes?: number): Promise<LogChunk> {
    this.#open();
    checkHandle(handle, 'slurm', this.#o.cluster);
    return readLog(join(this.#o.jobsDir, handle.marker, 'output.log'), fromOffset, maxBytes);
  }

  /** Slurm supervises the job itself; re-attaching only checks that the handle still names it. */
  reattach(handle: ExecutionHandle): Promise<ExecutionStatus> {
    return this.status(handle);
  }

  async find(attemptId: string): Promise<ExecutionHandle | undefined> {
    this.#open();
    const marker = markerFor(attemptId);
    const stored = await this.#storedHandle(marker);
    if (stored) return stored;
    const found = await this.#findInSlurm(attemptId, marker);
    return found ? this.#store(found) : undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed)
      throw new HetaoError('HETAO_EXECUTOR_CLOSED', `the slurm executor of ${this.#o.cluster} was closed`);
  }

  #matches(row: SlurmJobRow, h: ExecutionHandle): boolean {
    return (
      row.jobId === h.slurmJobId &&
      row.name === h.marker &&
      (row.submit === undefined || row.submit >= h.submittedAt - this.#o.clockSkewMs)
    );
  }

  #toStatus(row: SlurmJobRow, h: ExecutionHandle): ExecutionStatus {
    const state = mapSlurmState(row.state);
    const ended = isTerminal(state);
    const end = ended ? row.end : undefined;
    const wall = row.start !== undefined ? ((end ?? this.#o.clock.now()) - row.start) / 1000 : undefined;
    return {
      state,
      ...(ended ? parseExitCode(row.exitCode) : {}),
      ...(row.start !== undefined && state !== 'pending' ? { startedAt: row.start } : {}),
      ...(end !== undefined ? { endedAt: end } : {}),
      usage: {
        gpus: h.gpus,
        cpus: h.cpus,
        ...(wall !== undefined && state !== 'pending' ? { wallSeconds: wall } : {}),
      },
      ...(row.reason ? { reason: row.reason } : {}),
    };
  }

  #squeue(marker: string): Promise<SlurmJobRow[]> {
    return runSlurm('squeue', ['-h', '-t', 'all', `--name=${marker}`, '-o', SQUEUE_FORMAT], this.#cli).then(
      parseSqueue,
    );
  }

  #sacct(filter: string[]): Promise<SlurmJobRow[]> {
    return runSlurm('sacct', ['-c', '-P', '-n', '-o', SACCT_FIELDS, ...filter], this.#cli).then(parseSacct);
  }

  /**
   * The newest Slurm job carrying the marker, in squeue or else in the jobcomp file. Job id and resources come
   * from the attempt when known, else from the job's comment (squeue only; the jobcomp file has no comment).
   */
  async #findInSlurm(attemptId: string, marker: string, attempt?: Attempt): Promise<ExecutionHandle | undefined> {
    const rows = (await this.#squeue(marker)).filter((r) => r.name === marker);
    const row = rows.at(-1) ?? (await this.#sacct([`--name=${marker}`])).filter((r) => r.name === marker).at(-1);
    if (!row) return undefined;
    const said = (key: string) => new RegExp(`\\b${key}=(\\S+)`).exec(row.comment ?? '')?.[1];
    const known = attempt ?? {
      jobId: said('job') ?? '',
      gpus: Number(said('gpus') ?? 0),
      cpus: Number(said('cpus') ?? 1),
    };
    return this.#handle(attemptId, known.jobId, marker, row.jobId, row.submit ?? this.#o.clock.now(), known);
  }

  #handle(
    attemptId: string,
    jobId: string,
    marker: string,
    slurmJobId: string,
    submittedAt: number,
    resources: { gpus: number; cpus: number },
  ): ExecutionHandle {
    return {
      kind: 'slurm',
      attemptId,
      jobId,
      marker,
      submittedAt,
      gpus: resources.gpus,
      cpus: resources.cpus,
      outputPath: join(this.#o.jobsDir, marker, 'output.log'),
      cluster: this.#o.cluster,
      slurmJobId,
    };
  }

  async #storedHandle(marker: string): Promise<ExecutionHandle | undefined> {
    try {
      return JSON.parse(await readFile(join(this.#o.jobsDir, marker, 'handle.json'), 'utf8')) as ExecutionHandle;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot read the stored handle of ${marker}`, { cause: err });
    }
  }

  async #store(handle: ExecutionHandle): Promise<ExecutionHandle> {
    const path = join(this.#o.jobsDir, handle.marker, 'handle.json');
    try {
      await writeFile(`${path}.tmp`, JSON.stringify(handle));
      await rename(`${path}.tmp`, path);
    } catch (err) {
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot write ${path}`, { cause: err });
    }
    return handle;
  }
}
