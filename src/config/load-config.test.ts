import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../core/index.js';
import { generateSigner, SIG_COSIGNATURE_V1 } from '../ledger/index.js';
import { loadConfig, sqlitePath } from './index.js';

const sz = generateSigner('sz-regulator', SIG_COSIGNATURE_V1).verifierKey;
const hk = generateSigner('hk-regulator', SIG_COSIGNATURE_V1).verifierKey;
const logKey = generateSigner('hetao.exchange/0000abcd').verifierKey;

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

  it('has no external witnesses by default (the embedded demo) and a quorum of every witness', () => {
    const c = loadConfig({});
    expect(c.witnesses).toEqual([]);
    expect(c.witnessQuorum).toBeNull();
    expect(loadConfig({ HETAO_WITNESSES: ' ; \n', HETAO_WITNESS_QUORUM: '' }).witnesses).toEqual([]);
  });

  it('reads external witnesses separated by ; or newlines, and a quorum', () => {
    const c = loadConfig({
      HETAO_WITNESSES: `http://127.0.0.1:7380/ ${sz};\n  https://witness.hk.example/tlog\t${hk}\n`,
      HETAO_WITNESS_QUORUM: '1',
    });
    expect(c.witnesses).toEqual([
      { url: 'http://127.0.0.1:7380', key: sz },
      { url: 'https://witness.hk.example/tlog', key: hk },
    ]);
    expect(c.witnessQuorum).toBe(1);
    expect(Object.isFrozen(c.witnesses)).toBe(true);
    expect(Object.isFrozen(c.witnesses[0])).toBe(true);
    const flags = loadConfig({ HETAO_WITNESSES: `http://a ${sz}` }, [
      '--witnesses',
      `http://b ${sz};http://c ${hk}`,
      '--witness-quorum=2',
    ]);
    expect(flags.witnesses.map((w) => w.url)).toEqual(['http://b', 'http://c']);
    expect(flags.witnessQuorum).toBe(2);
  });

  it('reports each bad witness entry by number, naming the key', () => {
    const p = problems(() =>
      loadConfig({
        HETAO_WITNESSES: [
          `ftp://x ${sz}`,
          'http://ok',
          'http://ok not+a+key',
          `http://ok ${logKey}`,
          `http://one ${hk}`,
          `http://two ${hk}`,
        ].join(';'),
        HETAO_PORT: 'x',
      }),
    );
    expect(p.code).toBe('HETAO_CONFIG_INVALID');
    expect(p.keys.sort()).toEqual([...Array(5).fill('HETAO_WITNESSES'), 'HETAO_PORT'].sort());
    expect(p.message).toContain('HETAO_WITNESSES entry 1 URL must be an http:// or https://');
    expect(p.message).toContain('HETAO_WITNESSES entry 2 must be "URL KEY"');
    expect(p.message).toContain('HETAO_WITNESSES entry 3 key is not a verifier key');
    expect(p.message).toContain('HETAO_WITNESSES entry 4 key must be a witness cosignature key (type 0x04');
    expect(p.message).toContain('HETAO_WITNESSES entry 6 repeats the key of entry 5');
    const named = problems(() => loadConfig({}, ['--witnesses', `http://a?x=1 ${sz}`]));
    expect(named.keys).toEqual(['--witnesses']);
    expect(named.message).toContain('--witnesses entry 1 URL');
  });

  it('refuses two witnesses with the same name', () => {
    const other = generateSigner('sz-regulator', SIG_COSIGNATURE_V1).verifierKey;
    const p = problems(() => loadConfig({ HETAO_WITNESSES: `http://a ${sz}\nhttp://b ${other}` }));
    expect(p.message).toContain('HETAO_WITNESSES entry 2 has the witness name "sz-regulator" of entry 1');
  });

  it('requires the quorum to be 1..the number of witnesses, naming the key', () => {
    const two = `http://a ${sz};http://b ${hk}`;
    expect(problems(() => loadConfig({ HETAO_WITNESSES: two, HETAO_WITNESS_QUORUM: '3' })).message).toContain(
      'HETAO_WITNESS_QUORUM must be an integer from 1 to 2, the number of witnesses in HETAO_WITNESSES (got 3)',
    );
    const zero = problems(() => loadConfig({ HETAO_WITNESSES: two }, ['--witness-quorum', '0']));
    expect(zero.keys).toEqual(['--witness-quorum']);
    expect(zero.message).toContain('--witness-quorum must be an integer from 1 to the number of witnesses');
    expect(problems(() => loadConfig({ HETAO_WITNESSES: two, HETAO_WITNESS_QUORUM: 'all' })).keys).toEqual([
      'HETAO_WITNESS_QUORUM',
    ]);
    const none = problems(() => loadConfig({ HETAO_WITNESS_QUORUM: '1' }));
    expect(none.keys).toEqual(['HETAO_WITNESS_QUORUM']);
    expect(none.message).toContain('HETAO_WITNESS_QUORUM needs external witnesses in HETAO_WITNESSES');
  });
});
