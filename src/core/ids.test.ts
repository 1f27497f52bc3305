import { describe, expect, it } from 'vitest';
import { HetaoError } from './errors/index.js';
import { assertId, createIdGenerator, idTime, isId } from './ids.js';

describe('sortable ids', () => {
  it('encode the creation time and sort by it', () => {
    let t = Date.UTC(2026, 10, 28, 12);
    const gen = createIdGenerator(() => t);
    const a = gen.next('job');
    t += 1;
    const b = gen.next('job');
    expect(isId(a, 'job')).toBe(true);
    expect(idTime(a)).toBe(Date.UTC(2026, 10, 28, 12));
    expect(a < b).toBe(true);
  });

  it('stay strictly increasing within one millisecond and when the clock steps back', () => {
    let t = 1_700_000_000_000;
    const gen = createIdGenerator(() => t);
    const ids: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i === 2500) t -= 10;
      ids.push(gen.next('org'));
    }
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reject malformed ids with a code naming the field', () => {
    expect(() => assertId('job_123', 'job', 'jobId')).toThrowError(HetaoError);
    expect(() => assertId('org_01JDQ8Z3M5W7Y9A1B3C5D7E9F1', 'job', 'jobId')).toThrowError(
      expect.objectContaining({ code: 'HETAO_ID_INVALID', field: 'jobId' }),
    );
    expect(assertId('job_01JDQ8Z3M5W7Y9A1B3C5D7E9F1', 'job', 'jobId')).toBe('job_01JDQ8Z3M5W7Y9A1B3C5D7E9F1');
  });
});
