import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../core/index.js';
import { loadConfig, sqlitePath } from './index.js';

function problems(fn: () => unknown): { code: string; keys: string[]; message: string } {
  try {
    fn();
  } catch (e) {
    const err = e as HetaoError;
    return { code: err.code, keys: (err.details as { key: string }[]).map((p) => p.key), message: err.message };
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      home: './.hetao',
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: null,
      executor: 'local',
      demo: true,
    });
    expect(sqlitePath(c)).toBe('./.hetao/hetao.db');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the environment and lets flags override it', () => {
    const c = loadConfig(
      { HETAO_PORT: '9000', HETAO_HOME: '/var/lib/hetao', HETAO_DATABASE_URL: 'postgres://u:p@db/hetao' },
      ['--port', '9100', '--executor=slurm', '--demo', 'false'],
    );
    expect(c.port).toBe(9100);
    expect(c.home).toBe('/var/lib/hetao');
    expect(c.databaseUrl).toBe('postgres://u:p@db/hetao');
    expect(c.executor).toBe('slurm');
    expect(c.demo).toBe(false);
  });

  it('lists every bad key at once, each saying what it must be', () => {
    const p = problems(() =>
      loadConfig({ HETAO_PORT: '80a', HETAO_EXECUTOR: 'k8s', HETAO_DATABASE_URL: 'mysql://x', HETAO_DEMO: 'maybe' }),
    );
    expect(p.code).toBe('HETAO_CONFIG_INVALID');
    expect(p.keys.sort()).toEqual(['HETAO_DATABASE_URL', 'HETAO_DEMO', 'HETAO_EXECUTOR', 'HETAO_PORT']);
    expect(p.message).toContain('HETAO_PORT must be an integer');
    expect(p.message).toContain('HETAO_EXECUTOR must be one of local, slurm');
  });

  it('rejects an out-of-range port given as a flag and names the flag', () => {
    const p = problems(() => loadConfig({}, ['--port', '70000']));
    expect(p.keys).toEqual(['--port']);
    expect(p.message).toContain('from 0 to 65535');
  });
});
