import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../access/index.js';
import { createHarness, type Harness } from '../testing/api-harness.js';
import { Fixture } from './fixture.js';
import { PROBES, type Side } from './matrix.js';

let h: Harness;
const routes: string[] = [];
beforeAll(async () => {
  h = await createHarness({
    onRoute: (r) => {
      const methods = Array.isArray(r.method) ? r.method : [r.method];
      if (!r.config?.public) for (const m of methods) if (m !== 'HEAD') routes.push(`${m} ${r.url}`);
    },
  });
});
afterAll(async () => h?.close());

/** Every authenticated route x every role x own and other organization, plus no token: the expected status. */
describe('authorization matrix', () => {
  it('covers every authenticated route', () => {
    const covered = new Set(PROBES.map((p) => p.route));
    const missing = routes
      .filter((r) => r.startsWith('GET /api/v1') || r.startsWith('POST /api/v1'))
      .filter((r) => !covered.has(r));
    expect(missing).toEqual([]);
  });

  for (const probe of PROBES) {
    it(probe.route, async () => {
      const f = new Fixture(h);
      const [method] = probe.route.split(' ') as ['GET' | 'POST' | 'PATCH'];
      const seen: string[] = [];
      const want: string[] = [];
      const anon = await probe.prepare(f);
      seen.push(`anonymous:${(await f.call(method, anon.url, null, anon.body)).status}`);
      want.push('anonymous:401');
      for (const role of ROLES) {
        for (const side of ['own', 'other'] as Side[]) {
          const req = await probe.prepare(f);
          const token = side === 'own' ? h.tokens[role] : h.other[role];
          const res = await f.call(method, req.url, token, req.body);
          seen.push(`${role}/${side}:${res.status}`);
          want.push(`${role}/${side}:${probe.expect(role, side)}`);
          if (res.status >= 400)
            expect(res.body.code, `${role}/${side} ${JSON.stringify(res.body)}`).toMatch(/^HETAO_/);
        }
      }
      expect(seen).toEqual(want);
    });
  }
});
