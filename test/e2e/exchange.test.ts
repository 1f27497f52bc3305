import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/app/cli-main.js';
import { type Exchange, startExchange } from '../../src/app/exchange.js';
import { loadConfig } from '../../src/config/index.js';

/**
 * End to end: a real exchange in-process (SQLite home in a temp dir, demo seeded, embedded agents running jobs as
 * local processes), driven over HTTP the way contract.md's "npm start" promises it can be, then restarted on the
 * same home.
 */

interface Credentials {
  exchange: string;
  tokens: { org: string; orgId: string; role: string; token: string }[];
}
// biome-ignore lint/suspicious/noExplicitAny: response bodies are probed field by field
type Body = any;

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'timed-out']);
const home = mkdtempSync(join(tmpdir(), 'hetao-e2e-'));
const config = loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_LOG_LEVEL: 'silent' });
let x: Exchange | undefined;
let creds: Credentials;
let startedAt = 0;

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${String(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function http(
  method: 'GET' | 'POST',
  path: string,
  token: string | null,
  body?: unknown,
): Promise<{ status: number; type: string; body: Body; text: string }> {
  const res = await fetch(`${(x as Exchange).url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, text, body: type.includes('json') ? JSON.parse(text) : text };
}

const tokenOf = (role: string, index = 0) => {
  const t = creds.tokens.filter((c) => c.role === role)[index];
  if (!t) throw new Error(`no demo ${role} token #${index}`);
  return t;
};

/** Every job the operator sees, following `next` cursors. */
async function allJobs(): Promise<{ id: string; state: string; orgId: string }[]> {
  const out: { id: string; state: string; orgId: string }[] = [];
  let after: string | null = null;
  do {
    const page: { status: number; body: Body } = await http(
      'GET',
      `/api/v1/jobs?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      tokenOf('exchange-admin').token,
    );
    expect(page.status).toBe(200);
    out.push(...page.body.items.map((j: Body) => ({ id: j.id, state: j.state, orgId: j.orgId })));
    after = page.body.next;
  } while (after !== null);
  return out;
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
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

beforeAll(async () => {
  startedAt = Date.now();
  x = await startExchange(config);
  creds = JSON.parse(readFileSync(join(home, 'demo-credentials.json'), 'utf8'));
}, 30_000);

afterAll(async () => {
  await x?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('npm start: a fresh exchange with the demo', () => {
  it('answers /healthz with {"status":"ok"}', async () => {
    const r = await http('GET', '/healthz', null);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('writes demo credentials: the exchange URL and org-admin tokens of two or more organizations', () => {
    expect(creds.exchange).toBe(x?.url);
    const admins = creds.tokens.filter((t) => t.role === 'org-admin');
    expect(new Set(admins.map((t) => t.orgId)).size).toBeGreaterThanOrEqual(2);
    expect(creds.tokens[0]?.role).toBe('org-admin');
    for (const t of creds.tokens) expect(t.token).toMatch(/\S{16,}/);
  });

  it("gives the first token's organization demo jobs within 10 s, and they succeed", async () => {
    const first = creds.tokens[0] as Credentials['tokens'][number];
    const jobs = await until('demo jobs', 10_000 - (Date.now() - startedAt), async () => {
      const r = await http('GET', '/api/v1/jobs', first.token);
      return r.status === 200 && r.body.items.length > 0 ? (r.body.items as Body[]) : undefined;
    });
    for (const j of jobs) expect(j.orgId).toBe(first.orgId);
    const done = await until('demo jobs to end', 40_000, async () => {
      const all = await allJobs();
      return all.length >= 4 && all.every((j) => TERMINAL.has(j.state)) ? all : undefined;
    });
    expect(done.map((j) => j.state)).toEqual(done.map(() => 'succeeded'));
  }, 55_000);

  it('shows a job with its placement, execution and training output', async () => {
    const first = creds.tokens[0]?.token as string;
    const list = await http('GET', '/api/v1/jobs', first);
    expect(Object.keys(list.body).sort()).toEqual(['items', 'next']);
    const id = list.body.items[0].id as string;
    const job = await http('GET', `/api/v1/jobs/${id}`, first);
    expect(job.status).toBe(200);
    expect(job.body).toMatchObject({ id, state: 'succeeded' });
    expect(typeof job.body.placement.site).toBe('string');
    expect(job.body.placement.explanation.length).toBeGreaterThan(10);
    expect(job.body.execution.executor).toMatch(/^(local|slurm)$/);
    const logs = await http('GET', `/api/v1/jobs/${id}/logs`, first);
    expect(logs.status).toBe(200);
    expect(logs.type).toContain('text/plain');
    expect(logs.text).toContain('training on');
    expect(logs.text).toMatch(/held-out accuracy \d\.\d{3}/);
  });

  it('answers lists as {items, next}; no token is 401; another organization’s job is 404', async () => {
    const first = tokenOf('org-admin', 0);
    for (const path of [
      '/api/v1/jobs',
      '/api/v1/datasets',
      '/api/v1/sites',
      '/api/v1/flows',
      '/api/v1/organizations',
    ]) {
      const r = await http('GET', path, first.token);
      expect(r.status, path).toBe(200);
      expect(Array.isArray(r.body.items), path).toBe(true);
      expect(r.body.next === null || typeof r.body.next === 'string', path).toBe(true);
      const anon = await http('GET', path, null);
      expect(anon.status, path).toBe(401);
      expect(anon.body.code).toMatch(/^HETAO_/);
    }
    const other = creds.tokens.find((t) => t.role === 'org-admin' && t.orgId !== first.orgId) as Body;
    const theirs = (await http('GET', '/api/v1/jobs', other.token)).body.items;
    expect(theirs.length).toBeGreaterThan(0);
    const r = await http('GET', `/api/v1/jobs/${theirs[0].id}`, first.token);
    expect(r.status).toBe(404);
    expect(r.body.code).toMatch(/^HETAO_/);
    expect((await http('GET', `/api/v1/jobs/${theirs[0].id}/logs`, first.token)).status).toBe(404);
  });

  it('decides a flow over the API exactly as `hetao policy decide` does', async () => {
    const ctx = {
      exporter: {
        jurisdiction: 'SZ',
        zone: 'qianhai',
        isCIIO: false,
        annualPiIndividualsExported: 120_000,
        annualSensitivePiIndividualsExported: 0,
      },
      importer: { jurisdiction: 'HK', associatedWithExporter: true },
      data: {
        type: 'crm.customer-records',
        containsPersonalInfo: true,
        sensitivePersonalInfo: false,
        classification: 'general',
        purpose: 'customer service',
      },
    };
    const file = join(home, 'ctx.json');
    writeFileSync(file, JSON.stringify(ctx));
    const local = await cli(['policy', 'decide', '--input', file]);
    expect(local).toMatchObject({ code: 0, err: '' });
    const remote = await http('POST', '/api/v1/flows/decide', tokenOf('org-admin').token, ctx);
    expect(remote.status).toBe(200);
    expect(remote.body).toEqual(JSON.parse(local.out));
  });

  it('leaves exactly one ledger entry per state-changing call', async () => {
    const admin = tokenOf('org-admin', 0);
    const other = tokenOf('org-admin', 1);
    // The log's size right after a call returns (entries are appended before the API answers); the public
    // /ledger/entries serves what the witnesses have cosigned, so reading waits for publication to catch up.
    const size = async () => (x as Exchange).ledger.log.size;
    const entriesFrom = async (from: number): Promise<Body[]> => {
      const want = await size();
      const page = await until(`publication of ledger size ${want}`, 10_000, async () => {
        const r = await http('GET', `/api/v1/ledger/entries?from=${from}&limit=1000`, null);
        return r.body.size >= want ? r.body : undefined;
      });
      return page.items.map((i: Body) => i.entry);
    };
    // The demo's bootstrap organizations left their entries too, made by the operator.
    const orgs = (await http('GET', '/api/v1/organizations', admin.token)).body.items as Body[];
    const created = (await entriesFrom(0)).filter((e) => e.type === 'registry-change' && e.object === 'organization');
    expect(created.map((e) => e.objectId).sort()).toEqual(orgs.map((o) => o.id).sort());
    expect(new Set(created.map((e) => e.actorOrgId)).size).toBe(1);
    // The demo's jobs have ended, so nothing else writes while this runs (checked again after each call).
    const jobsBefore = await allJobs();
    expect(jobsBefore.every((j) => TERMINAL.has(j.state))).toBe(true);

    const sites = (await http('GET', '/api/v1/sites', admin.token)).body.items;
    const types = (await http('GET', '/api/v1/data-types', admin.token)).body.items;
    const general = types.find((t: Body) => !t.containsPersonalInfo && t.defaultClassification === 'general');
    let s0 = await size();
    const ds = await http('POST', '/api/v1/datasets', admin.token, {
      name: 'e2e readings',
      siteId: sites[0].id,
      dataType: general.name,
      sizeBytes: 10,
      contentDigest: 'c'.repeat(64),
    });
    expect(ds.status, ds.text).toBe(201);
    expect(await size()).toBe(s0 + 1);
    expect(await entriesFrom(s0)).toMatchObject([{ type: 'registry-change', object: 'dataset', objectId: ds.body.id }]);

    s0 = await size();
    const assoc = await http('POST', '/api/v1/associations', admin.token, {
      orgB: other.orgId,
      basis: 'control-of-funds',
      evidenceDigest: 'd'.repeat(64),
    });
    expect(assoc.status, assoc.text).toBe(201);
    expect(await size()).toBe(s0 + 1);
    expect(await entriesFrom(s0)).toMatchObject([
      { type: 'association-change', action: 'declare', orgId: admin.orgId, relatedOrgId: other.orgId },
    ]);

    s0 = await size();
    const flow = await http('POST', '/api/v1/flows', admin.token, {
      datasetId: ds.body.id,
      importerOrgId: other.orgId,
      purpose: 'e2e analytics',
    });
    expect(flow.status, flow.text).toBe(201);
    expect(await size()).toBe(s0 + 1);
    expect(flow.body.ledgerIndex).toBe(s0);
    expect(await entriesFrom(s0)).toMatchObject([{ type: 'flow-decision', exporterOrgId: admin.orgId }]);

    s0 = await size();
    const job = await http('POST', '/api/v1/jobs', admin.token, { name: 'e2e-echo', run: 'echo e2e-hello' });
    expect(job.status, job.text).toBe(201);
    // The scheduler may already be placing the job: count the submission's own entry.
    const mine = (await entriesFrom(s0)).filter((e) => e.jobId === job.body.id);
    expect(mine.filter((e) => e.type === 'job-state-change' && e.from === 'submitted')).toHaveLength(1);
    expect((await entriesFrom(s0)).filter((e) => e.jobId !== job.body.id)).toEqual([]);

    // A what-if decision and reads write nothing.
    s0 = await size();
    await http('POST', '/api/v1/flows/decide', admin.token, JSON.parse(readFileSync(join(home, 'ctx.json'), 'utf8')));
    await http('GET', '/api/v1/jobs', admin.token);
    const ended = await until('the e2e job to end', 20_000, async () => {
      const r = await http('GET', `/api/v1/jobs/${job.body.id}`, admin.token);
      return TERMINAL.has(r.body.state) ? r.body : undefined;
    });
    expect(ended.state).toBe('succeeded');
    expect((await http('GET', `/api/v1/jobs/${job.body.id}/logs`, admin.token)).text).toContain('e2e-hello');
    // Every later entry is the e2e job's own progress: one per state change or placement in its timeline.
    const later = await entriesFrom(s0);
    expect(later.every((e) => e.jobId === job.body.id)).toBe(true);
  }, 30_000);

  it("sets an organization's GPU share with `hetao organizations set-share`, as the exchange operator only", async () => {
    const url = x?.url as string;
    const orgId = tokenOf('org-admin', 0).orgId as string;
    const refused = await cli([
      'organizations',
      'set-share',
      orgId,
      '0.25',
      '--exchange',
      url,
      '--token',
      tokenOf('org-admin', 0).token,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/HETAO_API_FORBIDDEN/);
    const op = tokenOf('exchange-admin').token;
    const set = await cli(['organizations', 'set-share', orgId, '0.25', '--exchange', url, '--token', op]);
    expect(set.code, set.err).toBe(0);
    expect(JSON.parse(set.out)).toMatchObject({ id: orgId, gpuShare: 0.25 });
    const bad = await cli(['organizations', 'set-share', orgId, 'half', '--exchange', url, '--token', op]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/gpuShare/);
    const listed = await cli(['organizations', 'list', '--exchange', url, '--token', op]);
    expect(listed.out).toMatch(/gpuShare/);
    expect((await cli(['organizations', 'set-share', orgId, '0', '--exchange', url, '--token', op])).code).toBe(0);
    // Both changes are in the ledger; wait until they are published, as later checks read the published size.
    const want = (x as Exchange).ledger.log.size;
    await until('publication of the share changes', 10_000, async () => {
      const r = await http('GET', '/api/v1/ledger/entries?from=0&limit=1', null);
      return r.body.size >= want ? true : undefined;
    });
  });

  it('passes `hetao ledger verify --exchange URL`', async () => {
    const r = await until('a published checkpoint that verifies', 10_000, async () => {
      const v = await cli(['ledger', 'verify', '--exchange', x?.url as string]);
      return v.code === 0 ? v : undefined;
    });
    expect(r.out).toMatch(/^ok: .* size \d+ root /);
    expect(r.out).toContain('cosigned by');
  }, 15_000);

  it('gives the overview: both sites, jobs by state, and the cosigned ledger head', async () => {
    const o = await http('GET', '/api/v1/stats/overview', tokenOf('regulator').token);
    expect(o.status).toBe(200);
    expect(o.body.sites.map((s: { jurisdiction: string }) => s.jurisdiction).sort()).toEqual(['HK', 'SZ']);
    expect(o.body.jobs.succeeded).toBeGreaterThan(0);
    expect(o.body.flowsToday['allow-with-conditions'] + o.body.flowsToday['requires-approval']).toBeGreaterThan(0);
    expect(o.body.ledger.cosigners.sort()).toEqual(['hongkong-regulator', 'shenzhen-regulator']);
    expect(o.body.ledger.checkpointAt).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000);
    expect(o.body.ledger.checkpointSize).toBeLessThanOrEqual(o.body.ledger.size);
  });

  it('serves Prometheus metrics, the OpenAPI UI and the OpenAPI document', async () => {
    const m = await http('GET', '/metrics', null);
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.text).toMatch(/^# HELP hetao_jobs /m);
    expect(m.text).toMatch(/^hetao_jobs\{state="succeeded"\} [1-9]/m);
    expect(m.text).toMatch(/^hetao_ledger_entries [1-9]/m);
    const ui = await http('GET', '/api/docs', null);
    expect(ui.status).toBe(200);
    expect(ui.type).toContain('text/html');
    expect(ui.text.toLowerCase()).toContain('swagger');
    const doc = await http('GET', '/api/docs/json', null);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const p of ['/api/v1/jobs', '/api/v1/jobs/{id}', '/api/v1/flows/decide', '/api/v1/ledger/checkpoint'])
      expect(Object.keys(doc.body.paths), p).toContain(p);
  });
});

describe('restart on the same home', () => {
  it('keeps every job in its state, verifies the ledger and does not seed the demo twice', async () => {
    await until('every job to end', 20_000, async () =>
      (await allJobs()).every((j) => TERMINAL.has(j.state)) ? true : undefined,
    );
    const jobs = await allJobs();
    const orgs = (await http('GET', '/api/v1/organizations', tokenOf('exchange-admin').token)).body.items.length;
    const datasets = (await http('GET', '/api/v1/datasets', tokenOf('exchange-admin').token)).body.items.length;
    const credsFile = join(home, 'demo-credentials.json');
    const credsBefore = { text: readFileSync(credsFile, 'utf8'), mtime: statSync(credsFile).mtimeMs };
    const ledgerSize = (await http('GET', '/api/v1/ledger/entries?from=0&limit=1', null)).body.size as number;
    await x?.close();

    x = await startExchange(config);
    const after = await allJobs();
    expect(new Set(after.map((j) => j.id)).size).toBe(after.length);
    const byId = (js: typeof jobs) => Object.fromEntries(js.map((j) => [j.id, j.state]));
    expect(byId(after)).toEqual(byId(jobs));
    expect(after.length).toBe(jobs.length);
    expect((await http('GET', '/api/v1/organizations', tokenOf('exchange-admin').token)).body.items.length).toBe(orgs);
    expect((await http('GET', '/api/v1/datasets', tokenOf('exchange-admin').token)).body.items.length).toBe(datasets);
    expect(readFileSync(credsFile, 'utf8')).toBe(credsBefore.text);
    expect(statSync(credsFile).mtimeMs).toBe(credsBefore.mtime);
    expect((await http('GET', '/api/v1/ledger/entries?from=0&limit=1', null)).body.size).toBe(ledgerSize);
    const v = await until('the ledger to verify after restart', 10_000, async () => {
      const r = await cli(['ledger', 'verify', '--exchange', x?.url as string]);
      return r.code === 0 ? r : undefined;
    });
    expect(v.out).toContain(`size ${ledgerSize} `);
    // Still serving: the old tokens work and nothing new is scheduled.
    expect((await http('GET', '/api/v1/jobs', tokenOf('org-admin').token)).status).toBe(200);
  }, 45_000);
});
