import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ErrorCode, errorAreas, errorRegistry, HetaoError } from './index.js';

const docsDir = fileURLToPath(new URL('../../../docs/errors/', import.meta.url));

function documentedCodes(area: string): string[] {
  const text = readFileSync(`${docsDir}${area}.md`, 'utf8');
  return [...text.matchAll(/^## (HETAO_[A-Z0-9_]+)\s*$/gm)].map((m) => m[1] as string);
}

describe('error registry', () => {
  for (const [area, codes] of Object.entries(errorAreas)) {
    it(`every ${area} code is documented in docs/errors/${area}.md, and every section there is a code`, () => {
      const documented = documentedCodes(area).sort();
      expect(documented).toEqual(Object.keys(codes).sort());
    });
  }

  it('codes are unique across areas', () => {
    const all = Object.values(errorAreas).flatMap((c) => Object.keys(c));
    expect(new Set(all).size).toBe(all.length);
    expect(Object.keys(errorRegistry).length).toBe(all.length);
  });

  it('every code has a 4xx/5xx status and says how to fix it', () => {
    for (const [code, spec] of Object.entries(errorRegistry)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(spec.fix.length, code).toBeGreaterThan(10);
    }
  });

  it('the ErrorCode type is exactly the registry keys', () => {
    expectTypeOf<ErrorCode>().toEqualTypeOf<keyof typeof errorRegistry>();
    const code: ErrorCode = 'HETAO_STORE_CONFLICT';
    expect(errorRegistry[code].status).toBe(409);
  });

  it('HetaoError keeps its cause and field and serialises to {code, message, field}', () => {
    const cause = new Error('disk full');
    const err = new HetaoError('HETAO_STORE_UNAVAILABLE', 'cannot open the database', { cause, field: 'db' });
    expect(err.cause).toBe(cause);
    expect(err.status).toBe(503);
    expect(err.toJSON()).toEqual({ code: 'HETAO_STORE_UNAVAILABLE', message: 'cannot open the database', field: 'db' });
    expect(new HetaoError('HETAO_INTERNAL', 'x').toJSON()).toEqual({ code: 'HETAO_INTERNAL', message: 'x' });
  });
});
