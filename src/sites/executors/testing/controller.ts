/**
 * Test helpers that stop and start a local cluster's slurmctld. Two test files restart `hk`'s controller; they
 * take `lockController` first, so one never stops the controller under the other.
 */
import { execFile } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { slurmPing } from '../slurm/slurm-cli.js';
import type { TestCluster } from './slurm-test-env.js';

const run = promisify(execFile);

export async function until(what: string, check: () => boolean | Promise<boolean>, withinMs = 30_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process's state letter; PID 1 here reaps orphans late, so a zombie ('Z') counts as stopped. */
export function procState(pid: number): string | undefined {
  try {
    return /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** SIGTERM, so slurmctld saves its state first. */
export async function stopController(c: TestCluster): Promise<void> {
  const pid = Number(readFileSync(join(c.root, 'run', 'slurmctld.pid'), 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  await until('slurmctld to stop', () => [undefined, 'Z', 'X'].includes(procState(pid)));
}

export async function startController(c: TestCluster): Promise<void> {
  const env = { ...process.env, SLURM_CONF: c.conf };
  if (!(await slurmPing(c.conf, 2000))) await run('slurmctld', [], { env });
  await until('slurmctld to answer', () => slurmPing(c.conf, 2000));
  await until(`${c.name}-n1 to be usable`, async () =>
    /^(idle|mixed|alloc)/m.test((await run('sinfo', ['-hNo', '%T'], { env })).stdout),
  );
}

/** Exclusive use of a cluster's controller (a file created with O_EXCL; a lock left by a dead process is taken over). */
export async function lockController(c: TestCluster): Promise<() => void> {
  const file = join(c.root, 'run', 'hetao-controller-restart.lock');
  await until(
    `${c.name}'s controller lock`,
    () => {
      try {
        closeSync(openSync(file, 'wx'));
        writeFileSync(file, String(process.pid));
        return true;
      } catch {
        const holder = Number(readFileSync(file, 'utf8'));
        if (!holder || ['Z', undefined].includes(procState(holder))) rmSync(file, { force: true });
        return false;
      }
    },
    180_000,
  );
  return () => rmSync(file, { force: true });
}

/** Waits until the cluster runs no job at all (pending, running or completing). */
export async function waitIdle(c: TestCluster, withinMs = 120_000): Promise<void> {
  const env = { ...process.env, SLURM_CONF: c.conf };
  await until(
    `${c.name} to be idle`,
    async () => (await run('squeue', ['-h', '-t', 'PD,R,CG'], { env })).stdout.trim() === '',
    withinMs,
  );
}
