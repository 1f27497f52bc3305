import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { canTransition, JOB_STATES, requeueOnSiteLoss, TERMINAL_STATES, transitionJob } from './job-state.js';

describe('job state machine', () => {
  it('walks the happy path and returns transition records', () => {
    const path = ['submitted', 'queued', 'placed', 'dispatched', 'running', 'succeeded'] as const;
    for (let i = 1; i < path.length; i++) {
      const t = transitionJob(
        'job_1',
        path[i - 1] as (typeof path)[number],
        path[i] as (typeof path)[number],
        1000 + i,
        'step',
      );
      expect(t).toEqual({ jobId: 'job_1', from: path[i - 1], to: path[i], at: 1000 + i, reason: 'step' });
    }
  });

  it('requeues placed, dispatched and running jobs when their site is lost', () => {
    for (const s of ['placed', 'dispatched', 'running'] as const)
      expect(requeueOnSiteLoss('job_1', s, 5, 'cp').to).toBe('queued');
  });

  it('cancels from every non-terminal state and never leaves a terminal one', () => {
    for (const s of JOB_STATES) {
      expect(canTransition(s, 'cancelled')).toBe(!TERMINAL_STATES.has(s));
      if (TERMINAL_STATES.has(s)) for (const to of JOB_STATES) expect(canTransition(s, to)).toBe(false);
    }
  });

  it('rejects illegal transitions with a stable code', () => {
    for (const [from, to] of [
      ['submitted', 'running'],
      ['queued', 'running'],
      ['succeeded', 'queued'],
      ['timed-out', 'running'],
      ['running', 'placed'],
    ] as const) {
      try {
        transitionJob('job_1', from, to, 0, 'x');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(HetaoError);
        expect((e as HetaoError).code).toBe('HETAO_JOB_TRANSITION_ILLEGAL');
      }
    }
  });
});
