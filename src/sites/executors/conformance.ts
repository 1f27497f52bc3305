/**
 * The one behaviour every executor must show, run against each adapter (local.test.ts, slurm.test.ts). Cases run
 * concurrently, so the slowest (the time-out) bounds the suite's time.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HetaoError } from '../../core/index.js';
import type { Attempt, ExecutionHandle, ExecutionStatus, Executor } from './executor.js';
import { isTerminal } from './executor.js';

export interface ConformanceTarget {
  readonly name: string;
  /** A new executor instance over the same state (base dir / cluster), as a restarted agent would build it. */
  make(): Executor;
  /** A directory the jobs and this process both see, for files jobs write. */
  readonly scratchDir: string;
  /** The shortest time limit (s) the back end honours, and how long (ms) it may take to report timed-out. */
  readonly shortLimitSeconds: number;
  readonly timeoutWithinMs: number;
  /** Extra checks on a cancelled job, straight against the back end (e.g. squeue/sacct say CANCELLED). */
  afterCancel?(handle: ExecutionHandle): Promise<void>;
}

const POLL_MS = 100;
let seq = 0;
const run = Date.now().toString(36);

export function attemptOf(command: string, extra: Partial<Attempt> = {}): Attempt {
  seq += 1;
  return {
    attemptId: `conf-${run}-${process.pid}-${seq}`,
    jobId: `conf-${run}-${seq}`,
    command,
    gpus: 0,
    cpus: 1,
    memoryGb: 0.1,
    timeLimitSeconds: 120,
    ...extra,
  };
}

/** Polls status() until `until` holds; fails with the last status seen if it does not within `withinMs`. */
export async function waitFor(
  ex: Executor,
  h: ExecutionHandle,
  until: (s: ExecutionStatus) => boolean = (s) => isTerminal(s.state),
  withinMs = 20_000,
): Promise<ExecutionStatus> {
  const deadline = Date.now() + withinMs;
  let last: ExecutionStatus | undefined;
  while (Date.now() < deadline) {
    last = await ex.status(h);
    if (until(last)) return last;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${h.marker}: condition not met within ${withinMs} ms; last status ${JSON.stringify(last)}`);
}

async function allLogs(ex: Executor, h: ExecutionHandle): Promise<string> {
  return (await ex.logs(h, 0)).text;
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HetaoError);
  expect((err as HetaoError).code).toBe(code);
}

export function executorConformance(target: () => ConformanceTarget): void {
  describe.concurrent('executor conformance', () => {
    const ex = () => target().make();

    it('runs a successful job to succeeded with exit code 0', async () => {
      const e = ex();
      const h = await e.submit(attemptOf('true'));
      const s = await waitFor(e, h);
      expect(s).toMatchObject({ state: 'succeeded', exitCode: 0 });
      expect(s.endedAt).toBeGreaterThanOrEqual(s.startedAt ?? 0);
    });

    it('reports a failing job with its exit code', async () => {
      const e = ex();
      const h = await e.submit(attemptOf('echo about to fail; exit 3'));
      expect(await waitFor(e, h)).toMatchObject({ state: 'failed', exitCode: 3 });
    });

    it('shows a 2-GPU job two devices in CUDA_VISIBLE_DEVICES', async () => {
      const e = ex();
      const h = await e.submit(attemptOf('echo "gpus=$CUDA_VISIBLE_DEVICES"', { gpus: 2 }));
      expect((await waitFor(e, h)).state).toBe('succeeded');
      expect(await allLogs(e, h)).toMatch(/^gpus=\d+,\d+$/m);
      expect(h.gpus).toBe(2);
    });

    it('captures stdout and stderr, and reads on from an offset', async () => {
      const e = ex();
      const h = await e.submit(attemptOf('echo to-stdout; echo to-stderr >&2; printf "é"'));
      await waitFor(e, h);
      const all = await e.logs(h, 0);
      expect(all.text).toContain('to-stdout\n');
      expect(all.text).toContain('to-stderr\n');
      const tail = await e.logs(h, all.nextOffset);
      expect(tail).toEqual({ text: '', nextOffset: all.nextOffset });
      const part = await e.logs(h, 0, all.nextOffset - 1); // cuts "é" in half: stops before it
      expect(part.text.endsWith('é')).toBe(false);
      expect((await e.logs(h, part.nextOffset)).text).toBe('é');
    });

    it("passes the job's env and nothing of the agent's", async () => {
      process.env.HETAO_CONFORMANCE_AGENT_ONLY = 'leaked';
      const e = ex();
      const value = `a b,c'd "e" $f`;
      const h = await e.submit(
        attemptOf('printf "[%s][%s]\\n" "$HETAO_X" "$HETAO_CONFORMANCE_AGENT_ONLY"; test -n "$PATH"', {
          env: { HETAO_X: value },
        }),
      );
      expect((await waitFor(e, h)).state).toBe('succeeded');
      expect(await allLogs(e, h)).toContain(`[${value}][]\n`);
    });

    it('cancels a running job: it ends cancelled', async () => {
      const e = ex();
      const h = await e.submit(attemptOf('echo started; sleep 120'));
      await waitFor(e, h, (s) => s.state === 'running');
      await e.cancel(h);
      expect((await waitFor(e, h)).state).toBe('cancelled');
      await e.cancel(h); // a second cancel of an ended job is a no-op
      await target().afterCancel?.(h);
    });

    it('ends a job past its time limit as timed-out', { timeout: target().timeoutWithinMs + 15_000 }, async () => {
      const e = ex();
      const limit = target().shortLimitSeconds;
      const h = await e.submit(attemptOf('sleep 600', { timeLimitSeconds: limit }));
      const s = await waitFor(e, h, undefined, target().timeoutWithinMs);
      expect(s.state).toBe('timed-out');
      expect((s.endedAt ?? 0) - (s.startedAt ?? 0)).toBeGreaterThanOrEqual(limit * 1000 - 1000);
    });

    it('re-attaches after an agent restart: same job, run once, final state seen', async () => {
      const t = target();
      const dir = join(t.scratchDir, `reattach-${run}-${process.pid}-${++seq}`);
      await mkdir(dir, { recursive: true });
      const attempt = attemptOf('echo ran >> runs.txt; sleep 2; echo finished', { workDir: dir });
      const first = t.make();
      const h = await first.submit(attempt);
      await waitFor(first, h, (s) => s.state === 'running');
      await first.close(); // the agent goes away; the job does not
      const stored: ExecutionHandle = JSON.parse(JSON.stringify(h)); // as the agent would have persisted it
      const second = t.make();
      expect((await second.reattach(stored)).state).toBe('running');
      expect(await second.submit(attempt)).toEqual(h); // a repeated submit starts nothing
      expect(await second.find(attempt.attemptId)).toMatchObject({ marker: h.marker, submittedAt: h.submittedAt });
      expect((await waitFor(second, stored)).state).toBe('succeeded');
      expect(readFileSync(join(dir, 'runs.txt'), 'utf8')).toBe('ran\n');
      await rejects(first.status(h), 'HETAO_EXECUTOR_CLOSED');
    });

    it('reports a handle whose attempt it cannot find as lost, and find() as undefined', async () => {
      const e = ex();
      const h = await e.submit(attemptOf('true'));
      await waitFor(e, h);
      const ghostId = `${h.attemptId}-ghost`;
      const ghost: ExecutionHandle = { ...h, attemptId: ghostId, marker: `hetao-${ghostId}` };
      expect((await e.status(ghost)).state).toBe('lost');
      expect(await e.find(ghostId)).toBeUndefined();
    });

    it('refuses impossible attempts and foreign handles', async () => {
      const e = ex();
      await rejects(e.submit(attemptOf('true', { attemptId: 'no spaces allowed' })), 'HETAO_EXECUTOR_REJECTED');
      await rejects(e.submit(attemptOf('true', { gpus: 1000 })), 'HETAO_EXECUTOR_REJECTED');
      await rejects(e.submit(attemptOf('true', { timeLimitSeconds: 0 })), 'HETAO_EXECUTOR_REJECTED');
      const h = await e.submit(attemptOf('true'));
      const foreign = { ...h, kind: h.kind === 'local' ? 'slurm' : 'local' } as ExecutionHandle;
      await rejects(e.status(foreign), 'HETAO_EXECUTOR_HANDLE_INVALID');
      await waitFor(e, h);
    });
  });
}
