import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../access/index.js';
import { Fixture } from '../authz/fixture.js';
import { PROBES, type Probe, type Side } from '../authz/matrix.js';
import { buildApi } from '../build-api.js';
import { registerResources } from '../register-routes.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

/**
 * Fuzzing of every write (POST) route with malformed requests, sent by a role the route allows (so the request
 * reaches validation, not authorization). Each case is a mutation of the route's valid request that is invalid by
 * construction: a required field dropped, a field's JSON type changed, an unknown field added, an id or enum
 * replaced with garbage, a string past its maximum length, a number out of range, the whole body replaced by
 * another JSON type or deep nesting, a body that is not JSON, or a content type the API does not take.
 * Property: the answer is a 4xx `{code: HETAO_..., message}`, and nothing was written (ledger and tables).
 */

const RUNS = Number(process.env.HETAO_FUZZ_RUNS ?? 200);
const TABLES = [
  'organizations',
  'associations',
  'sites',
  'data_types',
  'datasets',
  'scenarios',
  'scenario_participants',
  'list_entries',
  'list_entry_versions',
  'agreements',
  'flow_requests',
  'annual_counts',
  'jobs',
  'job_events',
  'job_logs',
  'agent_messages',
  'accounts',
] as const;

/** Fields whose value is free text: any non-empty short string is valid, so only type, length and emptiness mutate. */
const FREE_TEXT = new Set(['name', 'title', 'reason', 'purpose', 'run', 'messageId']);
/** Fields that take any string, even empty (only type and length mutate). */
const ANY_TEXT = new Set(['text']);
/** Records with free keys: keys are neither required nor unknown. */
const RECORDS = new Set(['gpus', 'env']);
/** Numeric fields where a fraction is valid; every other numeric field in the valid bodies is an integer. */
const FRACTIONAL = new Set(['latitude', 'longitude', 'pricePerGpuHour']);
/** Numeric fields without a maximum. */
const UNBOUNDED = new Set(['offset']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = readonly string[];

interface Req {
  readonly label: string;
  readonly url: string;
  /** Raw payload text (undefined: no body). */
  readonly payload?: string;
  readonly contentType?: string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID = /^([a-z]+)_[0-9A-HJKMNP-TV-Z]{26}$/;

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function deep(depth: number, asArray: boolean): Json {
  let v: Json = asArray ? [] : {};
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** Every path through plain objects (not into arrays or records), with the value found there. */
function paths(v: Json, prefix: Path = []): { path: Path; value: Json }[] {
  if (kind(v) !== 'object') return [];
  const out: { path: Path; value: Json }[] = [];
  for (const [k, x] of Object.entries(v as Record<string, Json>)) {
    out.push({ path: [...prefix, k], value: x });
    if (!RECORDS.has(k)) out.push(...paths(x, [...prefix, k]));
  }
  return out;
}

function objectPaths(v: Json, prefix: Path = []): Path[] {
  if (kind(v) !== 'object') return [];
  const out: Path[] = [prefix];
  for (const [k, x] of Object.entries(v as Record<string, Json>))
    if (!RECORDS.has(k)) out.push(...objectPaths(x, [...prefix, k]));
  return out;
}

function withAt(body: Json, path: Path, f: (parent: Record<string, Json>, key: string) => void): Json {
  const copy = structuredClone(body) as Record<string, Json>;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, Json>;
  f(parent, path[path.length - 1] as string);
  return copy;
}
const setAt = (body: Json, path: Path, value: Json) =>
  withAt(body, path, (p, k) => {
    p[k] = value;
  });
const dropAt = (body: Json, path: Path) =>
  withAt(body, path, (p, k) => {
    delete p[k];
  });

/** Values of every JSON type but `original`'s. */
const otherTypeValue = (original: Json): fc.Arbitrary<Json> =>
  fc
    .constantFrom<Json>(
      null,
      true,
      false,
      0,
      7,
      '',
      'text',
      '7',
      'true',
      [],
      [original],
      {},
      { value: original },
      deep(300, true),
      deep(300, false),
    )
    .filter((x) => kind(x) !== kind(original));

/** Strings no id, digest, enum or pattern accepts (or no registered object has). */
const badStrict = (original: string): fc.Arbitrary<string> => {
  const m = ID.exec(original);
  const absentId = fc
    .array(fc.constantFrom(...CROCKFORD), { minLength: 26, maxLength: 26 })
    .map((cs) => `${m?.[1] ?? 'org'}_${cs.join('')}`);
  return fc.oneof(
    fc.constantFrom(
      '',
      ' ',
      'garbage!',
      '../../etc/passwd',
      '\u0000',
      "' OR 1=1 --",
      '🙂',
      `${'A'.repeat(65)}!`,
      `${original} `,
      `${original}!`,
      `!${original}`,
    ),
    fc.string({ minLength: 1, maxLength: 30 }).map((s) => `!${s}`),
    ...(m ? [absentId] : []),
  );
};

function mutations(valid: Json, url: string, hasBody: boolean): fc.Arbitrary<Req> {
  const text = (label: string, body: Json): Req => ({ label, url, payload: JSON.stringify(body) });
  const validText = hasBody ? JSON.stringify(valid) : '{}';
  const urlIds = url.split('/').filter((s) => ID.test(s));
  const arbs: fc.Arbitrary<Req>[] = [];

  // Bodies that are not JSON, sent as JSON.
  arbs.push(
    fc
      .constantFrom(
        'not json',
        '{',
        validText.slice(0, Math.max(1, validText.length - 1)),
        `${validText}}`,
        `${validText} trailing`,
        "{'single': 'quotes'}",
        '{"a":1,}',
        'NaN',
        '\u0000',
        '{"__proto__":{"polluted":true}}',
        `{"__proto__":{"polluted":true},${validText.slice(1)}`,
      )
      .map((payload) => ({ label: `non-JSON ${payload.slice(0, 40)}`, url, payload, contentType: 'application/json' })),
  );
  // Content types the API does not take (the valid JSON text in them).
  arbs.push(
    fc
      .constantFrom(
        'application/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'text/html',
        'image/png',
        // text/plain is parsed as a string: no JSON route takes one (POST /jobs reads it as a YAML job spec).
        ...(hasBody && url !== '/jobs' ? ['text/plain'] : []),
      )
      .map((contentType) => ({ label: `content-type ${contentType}`, url, payload: validText, contentType })),
  );
  // Ids in the URL replaced by garbage or by ids of nothing.
  for (const id of urlIds) {
    arbs.push(
      badStrict(id).map((bad) => ({
        label: `url id ${JSON.stringify(bad)}`,
        url: url.replace(id, encodeURIComponent(bad) || '%20'),
        ...(hasBody ? { payload: validText } : {}),
      })),
    );
  }
  if (!hasBody) return fc.oneof(...arbs);

  // The whole body replaced: another JSON type, deep nesting, a huge string.
  arbs.push(
    fc
      .oneof(
        fc.constantFrom<Json>(null, true, 0, -1, 'a string', [], [valid], [[valid]]),
        fc.integer({ min: 200, max: 3000 }).chain((d) => fc.boolean().map((a) => deep(d, a))),
        fc.constant<Json>('x'.repeat(100_000)),
      )
      .map((b) => text(`body ${kind(b)}`, b)),
  );
  // An unknown field in the body or in any nested object.
  const objects = objectPaths(valid);
  arbs.push(
    fc
      .tuple(
        fc.constantFrom(...objects),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 12 }).map((s) => `x_${s}`),
          fc.constantFrom('constructor', 'prototype', 'id', 'orgId', 'ownerOrgId', 'state', 'version', 'createdAt'),
        ),
        fc.constantFrom<Json>(null, 1, 'x', true, {}, []),
      )
      .filter(
        ([p, k]) => !Object.hasOwn(p.reduce((o, x) => (o as Record<string, Json>)[x] as Json, valid) as object, k),
      )
      .map(([p, k, v]) => text(`unknown ${[...p, k].join('.')}`, setAt(valid, [...p, k], v))),
  );

  const fields = paths(valid);
  const insideRecord = (p: Path) => p.slice(0, -1).some((k) => RECORDS.has(k));
  const droppable = fields.filter((f) => !insideRecord(f.path));
  if (droppable.length > 0) {
    // A required field dropped (every field of the valid bodies is required; see matrix.ts).
    arbs.push(fc.constantFrom(...droppable).map((f) => text(`drop ${f.path.join('.')}`, dropAt(valid, f.path))));
  }
  if (fields.length > 0) {
    // A field's JSON type changed.
    arbs.push(
      fc
        .constantFrom(...fields)
        .chain((f) =>
          otherTypeValue(f.value).map((v) => text(`type ${f.path.join('.')}=${kind(v)}`, setAt(valid, f.path, v))),
        ),
    );
  }
  const last = (p: Path) => p[p.length - 1] as string;
  const strings = fields.filter((f) => typeof f.value === 'string');
  if (strings.length > 0) {
    // A string past any maximum (the agent log's text field takes up to 512 KiB).
    arbs.push(
      fc.constantFrom(...strings).map((f) => {
        const huge = 'x'.repeat(ANY_TEXT.has(last(f.path)) ? 600_000 : 100_000);
        return text(`huge ${f.path.join('.')}`, setAt(valid, f.path, huge));
      }),
    );
  }
  const emptiable = strings.filter((f) => !ANY_TEXT.has(last(f.path)));
  if (emptiable.length > 0)
    arbs.push(fc.constantFrom(...emptiable).map((f) => text(`empty ${f.path.join('.')}`, setAt(valid, f.path, ''))));
  const strict = strings.filter((f) => !FREE_TEXT.has(last(f.path)) && !ANY_TEXT.has(last(f.path)));
  if (strict.length > 0) {
    // Ids, digests and enums replaced by garbage or by ids of nothing.
    arbs.push(
      fc
        .constantFrom(...strict)
        .chain((f) =>
          badStrict(f.value as string).map((bad) =>
            text(`bad ${f.path.join('.')}=${JSON.stringify(bad).slice(0, 40)}`, setAt(valid, f.path, bad)),
          ),
        ),
    );
  }
  const numbers = fields.filter((f) => typeof f.value === 'number');
  if (numbers.length > 0) {
    // Numbers out of range (and fractions where whole numbers are required).
    arbs.push(
      fc
        .constantFrom(...numbers)
        .chain((f) =>
          fc
            .constantFrom(
              -1e300,
              -1e18,
              ...(UNBOUNDED.has(last(f.path)) ? [] : [1e300, 2 ** 63]),
              ...(FRACTIONAL.has(last(f.path)) ? [] : [0.5, 1.000001]),
            )
            .map((n) => text(`number ${f.path.join('.')}=${n}`, setAt(valid, f.path, n))),
        ),
    );
  }
  const arrays = fields.filter((f) => Array.isArray(f.value));
  if (arrays.length > 0) {
    // Arrays holding elements of the wrong type.
    arbs.push(
      fc
        .tuple(fc.constantFrom(...arrays), fc.constantFrom<Json>(null, 123, [], true, 'not valid!'))
        .map(([f, bad]) => text(`element ${f.path.join('.')}`, setAt(valid, f.path, [...(f.value as Json[]), bad]))),
    );
  }
  return fc.oneof(...arbs);
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

async function counts(): Promise<string> {
  const q = TABLES.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(', ');
  const r = await sql.raw<Record<string, number>>(`SELECT ${q}`).execute(h.store.db);
  return JSON.stringify({ ...r.rows[0], ledger: h.deps.ledgerStatus.size() });
}

async function contents(): Promise<string> {
  const out: Record<string, unknown> = { ledger: (await h.ledgerEntries()).length };
  for (const t of TABLES) out[t] = (await sql.raw(`SELECT * FROM ${t} ORDER BY rowid`).execute(h.store.db)).rows;
  return JSON.stringify(out);
}

function allowed(p: Probe): { role: Role; side: Side } {
  for (const side of ['own', 'other'] as Side[])
    for (const role of ROLES) if (p.expect(role, side) < 300) return { role, side };
  throw new Error(`no role may call ${p.route}`);
}

const WRITES = PROBES.filter((p) => p.route.startsWith('POST '));

describe('write routes reject malformed requests without writing anything', () => {
  it('covers every write route of the matrix', async () => {
    // The hook must be in place before the routes are added, so this builds its own instance of the same API.
    const posts = new Set<string>();
    const app = await buildApi({
      logger: false,
      register: async (a) => {
        a.addHook('onRoute', (r) => {
          const methods = Array.isArray(r.method) ? r.method : [r.method];
          if (methods.includes('POST') && !r.config?.public) posts.add(`POST ${r.url}`);
        });
        await registerResources(a, h.deps);
      },
    });
    await app.close();
    expect(posts.size).toBeGreaterThan(20);
    expect(WRITES.map((p) => p.route).sort()).toEqual([...posts].sort());
  });

  for (const probe of WRITES) {
    it(probe.route, async () => {
      const { role, side } = allowed(probe);
      const token = (side === 'own' ? h.tokens : h.other)[role];
      const f = new Fixture(h);
      const valid = await probe.prepare(f);
      const hasBody = valid.body !== undefined;
      const arb = mutations((valid.body ?? {}) as Json, valid.url, hasBody);

      const before = await contents();
      const beforeCounts = await counts();
      await fc.assert(
        fc.asyncProperty(arb, async (req) => {
          const res = await h.app.inject({
            method: 'POST',
            url: `/api/v1${req.url}`,
            headers: {
              authorization: `Bearer ${token}`,
              ...(req.contentType
                ? { 'content-type': req.contentType }
                : req.payload !== undefined
                  ? { 'content-type': 'application/json' }
                  : {}),
            },
            ...(req.payload !== undefined ? { payload: req.payload } : {}),
          });
          const what = `${req.label} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, what).toBeLessThan(500);
          expect(String(res.headers['content-type']), what).toContain('application/json');
          const body = res.json() as { code?: unknown; message?: unknown };
          expect(body.code, what).toMatch(/^HETAO_[A-Z0-9_]+$/);
          expect(typeof body.message === 'string' && body.message.length > 0, what).toBe(true);
          expect(await counts(), what).toBe(beforeCounts);
        }),
        { numRuns: RUNS },
      );
      expect(await contents()).toBe(before);

      // The unmutated request is accepted: the mutations above were rejected for what they changed.
      const ok = await h.call('POST', valid.url, token, valid.body);
      expect(ok.status, JSON.stringify(ok.body)).toBeLessThan(300);
    });
  }
});
