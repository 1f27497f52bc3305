import { describe, expect, it } from 'vitest';
import { batchScript, slurmMinutes } from './batch-script.js';
import { parseSacct, parseSlurmTime, parseSqueue } from './slurm-records.js';
import { mapSlurmState, parseExitCode } from './slurm-states.js';

describe('slurm state and output parsing', () => {
  it('maps Slurm states to Hetao states', () => {
    const cases: Record<string, string> = {
      PENDING: 'pending',
      CONFIGURING: 'pending',
      RUNNING: 'running',
      COMPLETING: 'running',
      COMPLETED: 'succeeded',
      FAILED: 'failed',
      NODE_FAIL: 'failed',
      OUT_OF_MEMORY: 'failed',
      CANCELLED: 'cancelled',
      'CANCELLED by 0': 'cancelled',
      TIMEOUT: 'timed-out',
    };
    for (const [slurm, hetao] of Object.entries(cases)) expect(mapSlurmState(slurm), slurm).toBe(hetao);
  });

  it('reads ExitCode as exit status or signal', () => {
    expect(parseExitCode('3:0')).toEqual({ exitCode: 3 });
    expect(parseExitCode('0:9')).toEqual({ signal: 9 });
    expect(parseExitCode('0:0')).toEqual({ exitCode: 0 });
    expect(parseExitCode('')).toEqual({});
  });

  it('parses squeue and sacct rows; Unknown times are absent; step rows dropped', () => {
    const [q] = parseSqueue(
      '7|hetao-a-1|PENDING|2026-11-28T17:54:08|N/A|N/A|Resources|hetao-a-1 job=j gpus=0 cpus=1\n',
    );
    expect(q).toMatchObject({ jobId: '7', name: 'hetao-a-1', state: 'PENDING', reason: 'Resources' });
    expect(q?.start).toBeUndefined();
    expect(q?.submit).toBe(parseSlurmTime('2026-11-28T17:54:08'));
    const rows = parseSacct(
      '7|hetao-a-1|FAILED|3:0|2026-11-28T17:54:08|2026-11-28T17:54:08|Unknown\n7.batch|batch|FAILED|3:0|||\n',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ exitCode: '3:0', end: undefined });
  });

  it('writes a batch script that quotes env and command, and rounds limits up to minutes', () => {
    const s = batchScript(
      {
        attemptId: 'a-1',
        jobId: 'j',
        command: "echo 'hi'",
        env: { X: "it's" },
        gpus: 0,
        cpus: 1,
        memoryGb: 0,
        timeLimitSeconds: 1,
      },
      'hetao-a-1',
      '/w',
    );
    expect(s).toContain(`export X='it'\\''s'\n`);
    expect(s).toContain(`export HOME='/w'\n`);
    expect(s).toContain(`exec /bin/sh -c 'echo '\\''hi'\\'''\n`);
    expect([slurmMinutes(1), slurmMinutes(60), slurmMinutes(61)]).toEqual([1, 1, 2]);
  });
});
