import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { main } from './cli-main.js';
import { type Exchange, startExchange } from './exchange.js';

/** The `hetao` CLI through main(argv, io), as a user runs it: exit codes, stdout and stderr. */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hetao-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    out: (s) => {
      out += `${s}\n`;
    },
    err: (s) => {
      err += `${s}\n`;
    },
  });
  return { code, out, err };
}

const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const CONTEXT = {
  exporter: {
    jurisdiction: 'SZ',
    zone: null,
    isCIIO: false,
    annualPiIndividualsExported: 2_000,
    annualSensitivePiIndividualsExported: 0,
  },
  importer: { jurisdiction: 'HK', associatedWithExporter: false },
  data: {
    type: 'hr.employee-records',
    containsPersonalInfo: true,
    sensitivePersonalInfo: false,
    classification: 'general',
    purpose: 'hr',
  },
};

describe('hetao policy', () => {
  it('decide --input FILE prints the decision JSON and exits 0', async () => {
    const r = await run(['policy', 'decide', '--input', file('ctx.json', JSON.stringify(CONTEXT))]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out);
    expect(d.decision).toMatch(/^(allow|allow-with-conditions|requires-approval|deny)$/);
    expect(d.ruleId).toMatch(/^R\d+$/);
    expect(typeof d.explanation).toBe('string');
    expect(Array.isArray(d.sources)).toBe(true);
  });

  it('decide --input - reads standard input (a real process)', async () => {
    const code = `import { main } from ${JSON.stringify(join(ROOT, 'src/app/cli-main.ts'))}; process.exitCode = await main(process.argv.slice(1));`;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', code, 'policy', 'decide', '--input', '-'],
      { cwd: ROOT, input: JSON.stringify(CONTEXT), encoding: 'utf8', timeout: 30_000 },
    );
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const viaFile = await run(['policy', 'decide', '--input', file('ctx.json', JSON.stringify(CONTEXT))]);
    expect(JSON.parse(child.stdout)).toEqual(JSON.parse(viaFile.out));
  });

  it.each([
    ['a missing field', { ...CONTEXT, data: { ...CONTEXT.data, purpose: undefined } }, 'data.purpose'],
    ['a bad enum', { ...CONTEXT, importer: { ...CONTEXT.importer, jurisdiction: 'XX' } }, 'importer.jurisdiction'],
    ['an unknown field', { ...CONTEXT, extra: 1 }, 'extra'],
    [
      'a negative count',
      { ...CONTEXT, exporter: { ...CONTEXT.exporter, annualPiIndividualsExported: -1 } },
      'exporter.annualPiIndividualsExported',
    ],
  ])('decide with %s exits 2, names the field and the code on stderr, prints nothing', async (_what, ctx, field) => {
    const r = await run(['policy', 'decide', '--input', file('bad.json', JSON.stringify(ctx))]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/HETAO_POLICY_INPUT[A-Z_]*/);
    expect(r.err).toContain(field);
  });

  it('decide with input that is not JSON, or no file, exits 2 with HETAO_CLI_INPUT', async () => {
    const notJson = await run(['policy', 'decide', '--input', file('not.json', '{ nope')]);
    expect(notJson).toMatchObject({ code: 2, out: '' });
    expect(notJson.err).toContain('HETAO_CLI_INPUT');
    expect(notJson.err).toContain('--input');
    const missing = await run(['policy', 'decide', '--input', join(dir, 'absent.json')]);
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toContain('HETAO_CLI_INPUT');
  });

  it('rules prints R1 to R13', async () => {
    const r = await run(['policy', 'rules']);
    expect(r.code).toBe(0);
    // R2 comes in parts (R2a, R2b, ...); every rule is one line that starts with its id.
    for (let i = 1; i <= 13; i++) expect(r.out).toMatch(new RegExp(`^R${i}[a-z]?\\s`, 'm'));
    expect(r.out).not.toMatch(/^R14/m);
  });
});

describe('hetao simulate', () => {
  const KEYS = [
    'avgJctS',
    'avgQueueS',
    'completed',
    'jobs',
    'p99JctS',
    'placementsPerSec',
    'residencyViolations',
    'scheduler',
    'utilization',
    'wallS',
  ];
  const TIRESIAS = fileURLToPath(new URL('../../../shared/traces/tiresias-philly-derived/60_job.csv', import.meta.url));
  const sites = () =>
    file(
      'sites.yaml',
      [
        'sites:',
        '  - {id: sz-1, jurisdiction: SZ, gpus: {V100: 16}, pricePerGpuHour: 10, subsidyRate: 0.2}',
        '  - {id: hk-1, jurisdiction: HK, gpus: {V100: 8, A100: 8}, pricePerGpuHour: 20, subsidyRate: 0}',
        '',
      ].join('\n'),
    );

  it.skipIf(!existsSync(TIRESIAS))(
    'replays the tiresias trace: exactly the contract keys, both schedulers',
    async () => {
      const rows = readFileSync(TIRESIAS, 'utf8').trim().split('\n').length - 1;
      for (const scheduler of [undefined, 'fifo']) {
        const argv = ['simulate', '--trace', TIRESIAS, '--format', 'tiresias', '--sites', sites(), '--json'];
        const r = await run(scheduler ? [...argv, '--scheduler', scheduler] : argv);
        expect(r.err).toBe('');
        expect(r.code).toBe(0);
        const o = JSON.parse(r.out);
        expect(Object.keys(o).sort()).toEqual(KEYS);
        expect(o.scheduler).toBe(scheduler ?? 'hetao');
        expect(o.jobs).toBe(rows);
        expect(o.completed).toBe(rows);
        expect(o.residencyViolations).toBe(0);
        expect(o.utilization).toBeGreaterThan(0);
        expect(o.utilization).toBeLessThanOrEqual(1);
        expect(o.p99JctS).toBeGreaterThanOrEqual(o.avgJctS * 0.5);
      }
    },
  );

  it('replays a hetao CSV trace from the repository', async () => {
    const trace = join(ROOT, 'test/fixtures/scheduler/small-trace.csv');
    const r = await run(['simulate', '--trace', trace, '--sites', sites(), '--json']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.out)).sort()).toEqual(KEYS);
  });

  it('a bad --format or --scheduler exits 2 with HETAO_CLI_USAGE', async () => {
    const trace = join(ROOT, 'test/fixtures/scheduler/small-trace.csv');
    const badFormat = await run(['simulate', '--trace', trace, '--sites', sites(), '--format', 'csv', '--json']);
    expect(badFormat).toMatchObject({ code: 2, out: '' });
    expect(badFormat.err).toContain('HETAO_CLI_USAGE');
    expect(badFormat.err).toContain('--format');
    const badScheduler = await run(['simulate', '--trace', trace, '--sites', sites(), '--scheduler', 'lifo']);
    expect(badScheduler).toMatchObject({ code: 2, out: '' });
    expect(badScheduler.err).toContain('HETAO_CLI_USAGE');
  });
});

describe('hetao --help', () => {
  it('lists every command', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    const { buildProgram } = await import('./cli-main.js');
    const names = buildProgram({ out: () => {}, err: () => {} }).commands.map((c) => c.name());
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const n of [...names, 'start', 'policy', 'simulate', 'jobs', 'ledger'])
      expect(r.out).toMatch(new RegExp(`^\\s+${n}\\b`, 'm'));
  });
});

describe('hetao jobs submit against a running exchange', () => {
  const home = join(dir, 'exchange');
  let x: Exchange;
  let token: string;
  beforeAll(async () => {
    x = await startExchange(loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_LOG_LEVEL: 'silent' }));
    const creds = JSON.parse(readFileSync(join(home, 'demo-credentials.json'), 'utf8'));
    token = creds.tokens.find((t: { role: string }) => t.role === 'org-admin').token;
  }, 30_000);
  afterAll(async () => x?.close());

  it('prints the created job as JSON with its id (YAML spec, token from HETAO_TOKEN)', async () => {
    const spec = file('job.yaml', 'name: cli-echo\nrun: echo from-the-cli\nresources:\n  cpus: 1\npriority: 2\n');
    const saved = process.env.HETAO_TOKEN;
    process.env.HETAO_TOKEN = token;
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run(['jobs', 'submit', spec, '--exchange', x.url, '--json']);
    } finally {
      if (saved === undefined) delete process.env.HETAO_TOKEN;
      else process.env.HETAO_TOKEN = saved;
    }
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const job = JSON.parse(r.out);
    expect(job.id).toMatch(/^job_/);
    expect(job.name).toBe('cli-echo');
    expect(job.spec.priority).toBe(2);
    const got = await fetch(`${x.url}/api/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { name: string }).name).toBe('cli-echo');
  });

  it('with --idempotency-key, a rerun gets the first job back instead of a second one', async () => {
    const spec = file('once.yaml', 'name: cli-once\nrun: echo once\n');
    const submit = () =>
      run(['jobs', 'submit', spec, '--exchange', x.url, '--token', token, '--idempotency-key', 'build-42', '--json']);
    const first = await submit();
    const again = await submit();
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(JSON.parse(again.out).id).toBe(JSON.parse(first.out).id);
    const list = await fetch(`${x.url}/api/v1/jobs?limit=500`, { headers: { authorization: `Bearer ${token}` } });
    const named = ((await list.json()) as { items: { name: string }[] }).items.filter((j) => j.name === 'cli-once');
    expect(named).toHaveLength(1);
    // The key for another spec is refused, naming it.
    const other = file('other.yaml', 'name: cli-other\nrun: echo other\n');
    const clash = await run([
      'jobs',
      'submit',
      other,
      '--exchange',
      x.url,
      '--token',
      token,
      '--idempotency-key',
      'build-42',
    ]);
    expect(clash.code).toBe(2);
    expect(clash.err).toContain('HETAO_API_IDEMPOTENCY_MISMATCH');
  });

  it('with --token, a bad spec exits 2 naming the field; without a token exits 2 unauthenticated', async () => {
    const bad = file('bad-job.yaml', 'name: x\nrun: echo\npriorty: 3\n');
    const r = await run(['jobs', 'submit', bad, '--exchange', x.url, '--token', token, '--json']);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toContain('HETAO_JOB_SPEC_INVALID');
    expect(r.err).toContain('priorty');
    const saved = process.env.HETAO_TOKEN;
    delete process.env.HETAO_TOKEN;
    try {
      const anon = await run(['jobs', 'submit', join(dir, 'job.yaml'), '--exchange', x.url, '--json']);
      expect(anon).toMatchObject({ code: 2, out: '' });
      expect(anon.err).toContain('HETAO_API_UNAUTHENTICATED');
    } finally {
      if (saved !== undefined) process.env.HETAO_TOKEN = saved;
    }
  });
});
