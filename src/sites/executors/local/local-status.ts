import { constants } from 'node:os';
import type { ExecutionStatus } from '../executor.js';
import type { AttemptFiles, AttemptRecord } from './attempt-files.js';

/**
 * The final status of an attempt whose wrapper has ended, from its state files. Hetao's own stop reason wins
 * (a cancelled or timed-out job is killed by signal, so it has no exit status of its own); otherwise the exit
 * status the wrapper wrote; otherwise what the spawning instance saw; otherwise failed with no code (killed from
 * outside while no agent watched).
 */
export function endedStatus(files: AttemptFiles, rec: AttemptRecord, now: number): ExecutionStatus {
  const stop = files.readStop();
  const exit = files.readExit();
  const outcome = files.readOutcome();
  // The exit file's mtime has sub-millisecond precision while the start is whole ms: never end before the start.
  const endedAt = Math.max(rec.startedAt, Math.ceil(exit?.at ?? outcome?.at ?? stop?.at ?? now));
  const base = {
    startedAt: rec.startedAt,
    endedAt,
    usage: { gpus: rec.gpuIndexes.length, cpus: rec.cpus, wallSeconds: (endedAt - rec.startedAt) / 1000 },
  };
  const signal = outcome?.signal ? constants.signals[outcome.signal as NodeJS.Signals] : undefined;
  const withCode = exit ? { exitCode: exit.code } : {};
  const withSignal = signal !== undefined ? { signal } : {};
  if (stop)
    return {
      ...base,
      ...withCode,
      ...withSignal,
      state: stop.reason,
      reason: stop.reason === 'cancelled' ? 'cancelled by agent' : `time limit ${rec.timeLimitSeconds} s`,
    };
  if (exit) return { ...base, ...withCode, state: exit.code === 0 ? 'succeeded' : 'failed' };
  if (signal !== undefined) return { ...base, ...withSignal, state: 'failed', reason: `killed by ${outcome?.signal}` };
  return { ...base, state: 'failed', reason: 'ended without an exit status (killed outside Hetao)' };
}

export function runningStatus(rec: AttemptRecord, now: number): ExecutionStatus {
  return {
    state: 'running',
    startedAt: rec.startedAt,
    usage: { gpus: rec.gpuIndexes.length, cpus: rec.cpus, wallSeconds: (now - rec.startedAt) / 1000 },
  };
}
