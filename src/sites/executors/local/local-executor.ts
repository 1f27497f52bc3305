import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, HetaoError, systemClock } from '../../../core/index.js';
import {
  type Attempt,
  baseEnv,
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
import { AttemptFiles, type AttemptRecord } from './attempt-files.js';
import { GpuPool } from './gpu-pool.js';
import { endedStatus, runningStatus } from './local-status.js';
import { identify, isAlive, type ProcIdentity, signalGroup } from './proc-identity.js';

export interface LocalExecutorOptions {
  /** Directory holding one state directory per attempt (created if missing). Keep it across agent restarts. */
  readonly baseDir: string;
  /** The site's GPU inventory: device indexes 0..gpus-1 handed out as CUDA_VISIBLE_DEVICES. Default 0. */
  readonly gpus?: number;
  /** Milliseconds between SIGTERM and SIGKILL on cancel or time-out. Default 2000 (Slurm's KillWait here). */
  readonly killGraceMs?: number;
  readonly clock?: Clock;
}

/**
 * The job's process is `/bin/sh -c WRAPPER`, spawned detached so it leads its own process group (pgid = pid);
 * signals go to the whole group. The wrapper runs the command in a child shell and writes its exit status to a
 * file as its last act, so the status survives the agent; `$1` is the command, `$2` the exit-status file.
 */
const WRAPPER = '/bin/sh -c "$1"; c=$?; echo "$c" > "$2"; exit "$c"';

/**
 * Runs each attempt as a local process group. Environment: the job's `env` over `baseEnv` (PATH, HOME = workDir,
 * LANG) plus CUDA_VISIBLE_DEVICES; nothing of the agent's environment leaks in. CPU and memory are recorded, not
 * enforced. The time limit is enforced by the supervising instance (re-armed by reattach after a restart).
 */
export class LocalExecutor implements Executor {
  readonly kind = 'local' as const;
  readonly #baseDir: string;
  readonly #graceMs: number;
  readonly #clock: Clock;
  readonly #pool: GpuPool;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #children = new Set<ChildProcess>();
  #scanned = false;
  #closed = false;

  constructor(options: LocalExecutorOptions) {
    this.#baseDir = options.baseDir;
    this.#graceMs = options.killGraceMs ?? 2000;
    this.#clock = options.clock ?? systemClock;
    this.#pool = new GpuPool(options.gpus ?? 0);
  }

  async submit(attempt: Attempt): Promise<ExecutionHandle> {
    this.#open();
    const marker = checkAttempt(attempt);
    this.#scan();
    const files = new AttemptFiles(this.#baseDir, marker);
    const existing = files.readRecord();
    if (existing) return existing.handle;
    const gpuIndexes = this.#pool.take(marker, attempt.gpus);
    try {
      return await this.#start(attempt, marker, files, gpuIndexes);
    } catch (err) {
      this.#pool.release(marker);
      throw err;
    }
  }

  async #start(attempt: Attempt, marker: string, files: AttemptFiles, gpuIndexes: readonly number[]) {
    const workDir = attempt.workDir ?? join(files.dir, 'work');
    let fd: number;
    try {
      files.ensureDir();
      mkdirSync(workDir, { recursive: true });
      fd = openSync(files.output, 'a');
    } catch (err) {
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot prepare ${files.dir} for ${marker}`, { cause: err });
    }
    const env = { ...baseEnv(workDir), ...attempt.env, CUDA_VISIBLE_DEVICES: gpuIndexes.join(',') };
    const submittedAt = this.#clock.now();
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', WRAPPER, marker, attempt.command, files.exitFile], {
        cwd: workDir,
        env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } finally {
      closeSync(fd);
    }
    const pid = child.pid;
    const id = pid === undefined ? undefined : identify(pid);
    if (pid === undefined || id === undefined) {
      const cause = await new Promise((resolve) => child.once('error', resolve).once('exit', resolve));
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot start /bin/sh for ${marker} in ${workDir}`, { cause });
    }
    const handle: ExecutionHandle = {
      kind: 'local',
      attemptId: attempt.attemptId,
      jobId: attempt.jobId,
      marker,
      submittedAt,
      gpus: attempt.gpus,
      cpus: attempt.cpus,
      outputPath: files.output,
      pid,
    };
    const rec: AttemptRecord = {
      handle,
      startTicks: id.startTicks,
      startedAt: submittedAt,
      gpuIndexes,
      cpus: attempt.cpus,
      timeLimitSeconds: attempt.timeLimitSeconds,
    };
    files.writeRecord(rec);
    this.#children.add(child);
    child.once('exit', (code, signal) => {
      this.#children.delete(child);
      if (this.#closed) return;
      if (!files.readExit()) files.writeOutcome({ code, signal, at: this.#clock.now() });
      this.#finished(marker);
    });
    child.unref();
    this.#arm(files, rec);
    return handle;
  }

  async status(handle: ExecutionHandle): Promise<ExecutionStatus> {
    this.#open();
    const { files, rec } = this.#load(handle);
    if (!rec) return { state: 'lost', reason: `no state for ${handle.marker} under ${this.#baseDir}` };
    const now = this.#clock.now();
    if (isAlive(this.#identity(rec))) {
      if (now - rec.startedAt >= rec.timeLimitSeconds * 1000) this.#stop(files, rec, 'timed-out');
      return runningStatus(rec, now);
    }
    this.#finished(handle.marker);
    return endedStatus(files, rec, now);
  }

  async cancel(handle: ExecutionHandle): Promise<void> {
    this.#open();
    const { files, rec } = this.#load(handle);
    if (rec) this.#stop(files, rec, 'cancelled');
  }

  async logs(handle: ExecutionHandle, fromOffset = 0, maxBytes?: number): Promise<LogChunk> {
    this.#open();
    return readLog(this.#load(handle).files.output, fromOffset, maxBytes);
  }

  async reattach(handle: ExecutionHandle): Promise<ExecutionStatus> {
    this.#open();
    this.#scan();
    const { files, rec } = this.#load(handle);
    const st = await this.status(handle);
    if (rec && !isTerminal(st.state)) this.#arm(files, rec);
    return st;
  }

  async find(attemptId: string): Promise<ExecutionHandle | undefined> {
    this.#open();
    return new AttemptFiles(this.#baseDir, markerFor(attemptId)).readRecord()?.handle;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers.values()) clearTimeout(t);
    this.#timers.clear();
    for (const c of this.#children) c.removeAllListeners('exit');
    this.#children.clear();
  }

  #open(): void {
    if (this.#closed) throw new HetaoError('HETAO_EXECUTOR_CLOSED', 'this local executor was closed');
  }

  #load(handle: ExecutionHandle): { files: AttemptFiles; rec: AttemptRecord | undefined } {
    checkHandle(handle, 'local');
    const files = new AttemptFiles(this.#baseDir, handle.marker);
    const rec = files.readRecord();
    // A record under the same marker but another pid is another attempt's state: treat the handle as lost.
    return { files, rec: rec && rec.handle.pid === handle.pid ? rec : undefined };
  }

  #identity(rec: AttemptRecord): ProcIdentity {
    return { pid: rec.handle.pid as number, startTicks: rec.startTicks };
  }

  /** Once per instance: GPUs held by attempts still running (started by an earlier instance) are not free. */
  #scan(): void {
    if (this.#scanned) return;
    this.#scanned = true;
    if (!existsSync(this.#baseDir)) return;
    for (const name of readdirSync(this.#baseDir)) {
      if (!name.startsWith('hetao-')) continue;
      const rec = new AttemptFiles(this.#baseDir, name).readRecord();
      if (rec && isAlive(this.#identity(rec))) this.#pool.hold(name, rec.gpuIndexes);
    }
  }

  /** Schedules the time-limit stop for the remaining time. Timers are unref'd: they never keep the agent alive. */
  #arm(files: AttemptFiles, rec: AttemptRecord): void {
    const marker = rec.handle.marker;
    clearTimeout(this.#timers.get(marker));
    const left = Math.max(0, rec.startedAt + rec.timeLimitSeconds * 1000 - this.#clock.now());
    const t = setTimeout(() => {
      this.#timers.delete(marker);
      this.#stop(files, rec, 'timed-out');
    }, left);
    t.unref();
    this.#timers.set(marker, t);
  }

  /**
   * Records why Hetao stops the job (first reason wins), then SIGTERM to the group and SIGKILL after the grace
   * period if the leader still runs. A job that already ended is left as it is.
   */
  #stop(files: AttemptFiles, rec: AttemptRecord, reason: 'cancelled' | 'timed-out'): void {
    const id = this.#identity(rec);
    if (!isAlive(id)) return;
    if (!files.readStop()) files.writeStop({ reason, at: this.#clock.now() });
    if (!signalGroup(id, 'SIGTERM')) return;
    setTimeout(() => signalGroup(id, 'SIGKILL', false), this.#graceMs).unref();
  }

  #finished(marker: string): void {
    clearTimeout(this.#timers.get(marker));
    this.#timers.delete(marker);
    this.#pool.release(marker);
  }
}
