import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HetaoError } from '../../../core/index.js';
import type { ExecutionHandle } from '../executor.js';

/**
 * One attempt's state directory, `<baseDir>/<marker>/`, the local executor's only memory across restarts:
 *   attempt.json  written once, right after spawn: the handle, process identity, GPUs and limits
 *   output.log    stdout and stderr of the job, interleaved
 *   exitcode      the job's exit status, written by the wrapper shell as its last act
 *   outcome.json  how the wrapper itself ended (code/signal), written by the instance that spawned it, if alive
 *   stop.json     why Hetao stopped it ({reason: cancelled | timed-out, at}); written before the first signal
 */
export interface AttemptRecord {
  readonly handle: ExecutionHandle;
  readonly startTicks: string;
  readonly startedAt: number;
  readonly gpuIndexes: readonly number[];
  readonly cpus: number;
  readonly timeLimitSeconds: number;
}

export interface StopRecord {
  readonly reason: 'cancelled' | 'timed-out';
  readonly at: number;
}

export interface OutcomeRecord {
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
}

export class AttemptFiles {
  readonly dir: string;
  constructor(baseDir: string, marker: string) {
    this.dir = join(baseDir, marker);
  }

  get output(): string {
    return join(this.dir, 'output.log');
  }
  get exitFile(): string {
    return join(this.dir, 'exitcode');
  }

  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  readRecord(): AttemptRecord | undefined {
    return this.#readJson<AttemptRecord>('attempt.json');
  }
  writeRecord(r: AttemptRecord): void {
    this.#writeJson('attempt.json', r);
  }
  readStop(): StopRecord | undefined {
    return this.#readJson<StopRecord>('stop.json');
  }
  writeStop(s: StopRecord): void {
    this.#writeJson('stop.json', s);
  }
  readOutcome(): OutcomeRecord | undefined {
    return this.#readJson<OutcomeRecord>('outcome.json');
  }
  writeOutcome(o: OutcomeRecord): void {
    this.#writeJson('outcome.json', o);
  }

  /** The wrapper's exit status and when it was written; only meaningful once the wrapper has ended. */
  readExit(): { code: number; at: number } | undefined {
    try {
      const text = readFileSync(this.exitFile, 'utf8').trim();
      if (!/^\d+$/.test(text)) return undefined;
      return { code: Number(text), at: statSync(this.exitFile).mtimeMs };
    } catch {
      return undefined;
    }
  }

  #readJson<T>(name: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(join(this.dir, name), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot read ${join(this.dir, name)}`, { cause: err });
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `corrupt state file ${join(this.dir, name)}`, { cause: err });
    }
  }

  /** Synchronous and atomic (write then rename): called between spawn and returning, where a crash must not tear it. */
  #writeJson(name: string, value: unknown): void {
    const path = join(this.dir, name);
    try {
      writeFileSync(`${path}.tmp`, JSON.stringify(value));
      renameSync(`${path}.tmp`, path);
    } catch (err) {
      throw new HetaoError('HETAO_EXECUTOR_FAILED', `cannot write ${path}`, { cause: err });
    }
  }
}
