import { describe, expect, it } from 'vitest';
import { KeyedQueue } from './keyed-queue.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('KeyedQueue', () => {
  it('runs work under one key one at a time, in order, and lets other keys run alongside', async () => {
    const q = new KeyedQueue();
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([q.run('a', job('a1')), q.run('a', job('a2')), q.run('b', job('b1'))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
    expect(q.size).toBe(0);
  });

  it('goes on with the next after a failure, and passes the failure to its own caller only', async () => {
    const q = new KeyedQueue();
    const failing = q.run('a', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = q.run('a', async () => 'after');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
    expect(q.size).toBe(0);
  });
});
