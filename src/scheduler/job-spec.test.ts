import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { parseJobSpec } from './job-spec.js';

function fails(input: unknown): HetaoError {
  try {
    parseJobSpec(input);
  } catch (e) {
    if (e instanceof HetaoError) return e;
    throw e;
  }
  throw new Error('expected a HetaoError');
}

describe('parseJobSpec', () => {
  it('applies defaults when only name and run are given (YAML)', () => {
    const s = parseJobSpec('name: hello\nrun: echo hi\n');
    expect(s).toEqual({
      name: 'hello',
      run: 'echo hi',
      resources: { gpus: 0, gpuTypes: [], cpus: 1, memoryGb: 4, timeLimitMinutes: null },
      datasets: [],
      env: {},
      priority: 0,
      preemptible: false,
    });
    expect(Object.isFrozen(s.resources)).toBe(true);
  });

  it('accepts JSON text and objects with every field', () => {
    const json = JSON.stringify({
      name: 'train',
      run: 'python train.py',
      resources: { gpus: 2, gpuTypes: ['A100'], cpus: 8, memoryGb: 64, timeLimitMinutes: 90 },
      datasets: ['ds_1'],
      env: { SEED: '1' },
      priority: 3,
      preemptible: true,
    });
    expect(parseJobSpec(json).resources.gpus).toBe(2);
    expect(parseJobSpec(JSON.parse(json)).priority).toBe(3);
    expect(parseJobSpec(json).preemptible).toBe(true);
  });

  it('names the field at fault as a dotted path', () => {
    expect(fails({ name: 'x', run: 'y', resources: { gpus: -1 } }).field).toBe('resources.gpus');
    expect(fails({ name: 'x', run: 'y', datasets: ['a', 3] }).field).toBe('datasets.1');
    expect(fails({ name: 'x' }).field).toBe('run');
    expect(fails({ run: 'x' }).field).toBe('name');
    expect(fails({ name: 'x', run: 'y', resources: { gpu: 1 } }).field).toBe('resources.gpu');
    expect(fails({ name: 'x', run: 'y', priority: 11 }).code).toBe('HETAO_JOB_SPEC_INVALID');
    expect(fails({ name: 'x', run: 'y', preemptible: 'yes' }).field).toBe('preemptible');
    const env = fails({ name: 'x', run: 'y', env: { OK_1: 'a', '1BAD': 'b' } });
    expect([env.field, env.message]).toEqual([
      'env.1BAD',
      'job spec: env.1BAD is not an environment variable name (letters, digits and _, not starting with a digit)',
    ]);
    expect(fails({ name: 'x', run: 'y', env: { 'A B': 'c' } }).field).toBe('env.A B');
  });

  it('rejects text that is not one object', () => {
    expect(fails('name: [unclosed').code).toBe('HETAO_JOB_SPEC_SYNTAX');
    expect(fails('- a\n- b\n').code).toBe('HETAO_JOB_SPEC_SYNTAX');
  });
});
