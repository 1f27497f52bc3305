import { type Attempt, baseEnv } from '../executor.js';
import { shellQuote } from '../shell-quote.js';

/**
 * The batch script for one attempt. The environment is set here rather than through `--export` (whose values
 * cannot contain commas): the job's `env` over `baseEnv`; Slurm adds its own SLURM_* and CUDA_VISIBLE_DEVICES.
 * The command then runs under `/bin/sh -c`, exactly as the local executor runs it.
 */
export function batchScript(attempt: Attempt, marker: string, workDir: string): string {
  const env = { ...baseEnv(workDir), ...attempt.env };
  return [
    '#!/bin/sh',
    `# Hetao attempt ${marker} of job ${attempt.jobId.replace(/[^\w.-]/g, '_')}`,
    ...Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `exec /bin/sh -c ${shellQuote(attempt.command)}`,
    '',
  ].join('\n');
}

/** sbatch's time limit: whole minutes, rounded up, at least 1 (Slurm's smallest). */
export function slurmMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}
