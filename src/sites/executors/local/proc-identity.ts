import { readFileSync } from 'node:fs';

/**
 * A process as the kernel knows it: pid plus its start time (clock ticks since boot, /proc/PID/stat field 22).
 * Pids are reused; the pair is not, so a stored pair names exactly one process for the life of the machine.
 */
export interface ProcIdentity {
  readonly pid: number;
  readonly startTicks: string;
}

interface ProcStat {
  readonly state: string;
  readonly startTicks: string;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces; fields after it are plain.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = rest[0];
  const startTicks = rest[19];
  return state && startTicks ? { state, startTicks } : undefined;
}

/** The identity of a live process, read at once after spawn (before Node can reap it); undefined if gone. */
export function identify(pid: number): ProcIdentity | undefined {
  const stat = readStat(pid);
  return stat ? { pid, startTicks: stat.startTicks } : undefined;
}

/**
 * True while that very process runs. A zombie counts as ended: its exit status is final, and an orphan's zombie
 * may linger (PID 1 here reaps late).
 */
export function isAlive(id: ProcIdentity): boolean {
  const stat = readStat(id.pid);
  return stat !== undefined && stat.startTicks === id.startTicks && stat.state !== 'Z' && stat.state !== 'X';
}

/**
 * Signals the process group led by `id`. With `leaderMustLive` (the default) only while that very leader runs;
 * without it the group is signalled even after its leader ended (Linux does not reuse a pid still in use as a
 * process-group id, so the group is still this job's). False if nothing was signalled.
 */
export function signalGroup(id: ProcIdentity, signal: NodeJS.Signals, leaderMustLive = true): boolean {
  if (leaderMustLive && !isAlive(id)) return false;
  try {
    process.kill(-id.pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}
