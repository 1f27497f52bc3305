import { HetaoError } from '../../../core/index.js';

/** One job as squeue or sacct (-c, the jobcomp file) reports it. Times are ms since the epoch. */
export interface SlurmJobRow {
  readonly jobId: string;
  readonly name: string;
  readonly state: string;
  readonly submit?: number;
  readonly start?: number;
  readonly end?: number;
  readonly exitCode?: string;
  readonly reason?: string;
  /** squeue only: the job's comment, where Hetao writes `<marker> job=<jobId> gpus=<n> cpus=<n>`. */
  readonly comment?: string;
}

/** `squeue -o` format matching parseSqueue. */
export const SQUEUE_FORMAT = '%i|%j|%T|%V|%S|%e|%r|%k';
/** `sacct -o` fields matching parseSacct. */
export const SACCT_FIELDS = 'jobid,jobname,state,exitcode,submit,start,end';

/**
 * Slurm prints local times without a zone ("2026-11-28T17:54:08"); JavaScript reads such a string as local time
 * too, which is right while agent and controller share a time zone (document that for remote controllers).
 */
export function parseSlurmTime(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) return undefined; // Unknown, None, N/A
  return new Date(text).getTime();
}

function lines(out: string): string[][] {
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('|'));
}

function bad(what: string, out: string): never {
  throw new HetaoError('HETAO_EXECUTOR_FAILED', `unexpected ${what} output: ${JSON.stringify(out.slice(0, 300))}`);
}

export function parseSqueue(out: string): SlurmJobRow[] {
  return lines(out).map((f) => {
    if (f.length < 8) bad('squeue', out);
    const [jobId, name, state, submit, start, end, reason] = f as [string, string, string, ...string[]];
    const comment = f.slice(7).join('|');
    return {
      jobId,
      name,
      state,
      submit: parseSlurmTime(submit),
      start: parseSlurmTime(start),
      end: parseSlurmTime(end),
      reason: reason === 'None' ? undefined : reason,
      comment: comment === '(null)' ? undefined : comment,
    };
  });
}

/** Rows of `sacct -c -P -n -o SACCT_FIELDS`; step rows ("12.batch") are dropped. */
export function parseSacct(out: string): SlurmJobRow[] {
  return lines(out)
    .filter((f) => !f[0]?.includes('.'))
    .map((f) => {
      if (f.length < 7) bad('sacct', out);
      const [jobId, name, state, exitCode, submit, start, end] = f as [string, string, string, ...string[]];
      return {
        jobId,
        name,
        state,
        exitCode,
        submit: parseSlurmTime(submit),
        start: parseSlurmTime(start),
        end: parseSlurmTime(end),
      };
    });
}
