import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildApi } from './build-api.js';
import { parseJsonBody, poisoned } from './json-body.js';

const codeOf = (text: string): string | undefined => {
  try {
    parseJsonBody(text);
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('JSON bodies', () => {
  it('parses what JSON.parse parses (a leading byte-order mark skipped) unless it is poisoned', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        const parsed: unknown = JSON.parse(text);
        // arbitrary JSON can hold a __proto__ key: that is refused, everything else parsed as JSON.parse does
        if (poisoned(parsed)) {
          expect(codeOf(text)).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
          return;
        }
        expect(parseJsonBody(text)).toEqual(parsed);
        expect(parseJsonBody(`\ufeff${text}`)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses empty and malformed text with the default parser’s codes', () => {
    expect(codeOf('')).toBe('FST_ERR_CTP_EMPTY_JSON_BODY');
    expect(codeOf('\ufeff')).toBe('FST_ERR_CTP_EMPTY_JSON_BODY');
    for (const bad of ['{', '{"a":1,}', 'NaN', "{'a':1}", '{"a":1} x'])
      expect(codeOf(bad)).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
  });

  it('refuses a prototype key however it is spelled and however deep it sits', () => {
    const spellings = ['__proto__', '\\u005f_proto__', '__pr\\u006fto__', '\\u005F\\u005Fproto\\u005F\\u005F'];
    for (const key of spellings) {
      expect(codeOf(`{"${key}":{"polluted":true}}`)).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
      expect(codeOf(`{"a":[1,{"b":{"${key}":{}}}]}`)).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    }
    for (const key of ['constructor', 'c\\u006fnstructor'])
      expect(codeOf(`{"x":{"${key}":{"prototype":{"polluted":true}}}}`)).toBe('FST_ERR_CTP_INVALID_JSON_BODY');
    // a constructor without a prototype, and the words as values, are ordinary data
    expect(parseJsonBody('{"constructor":{"name":"x"}}')).toEqual({ constructor: { name: 'x' } });
    expect(parseJsonBody('{"note":"__proto__ and constructor.prototype"}')).toEqual({
      note: '__proto__ and constructor.prototype',
    });
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('poisoned agrees with a direct search of the parsed value', () => {
    const key = fc.constantFrom('a', 'b', '__proto__', 'constructor', 'prototype');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.array(fc.tuple(key, tie('node')), { maxLength: 3 }).map((pairs) => {
          const o: Record<string, unknown> = {};
          for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true });
          return o;
        }),
      ),
    })).node;
    const direct = (v: unknown): boolean => {
      if (typeof v !== 'object' || v === null) return false;
      if (!Array.isArray(v)) {
        if (Object.hasOwn(v, '__proto__')) return true;
        const c = Object.getOwnPropertyDescriptor(v, 'constructor')?.value;
        if (typeof c === 'object' && c !== null && Object.hasOwn(c, 'prototype')) return true;
      }
      return Object.values(v).some(direct);
    };
    fc.assert(
      fc.property(tree, (v) => {
        expect(poisoned(v)).toBe(direct(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('is the API’s application/json parser: a poisoned body answers 400 HETAO_API_VALIDATION', async () => {
    const app = await buildApi({
      logger: false,
      register: async (a) => {
        a.post('/echo', async (req) => req.body);
      },
    });
    const post = (payload: string) =>
      app.inject({ method: 'POST', url: '/echo', payload, headers: { 'content-type': 'application/json' } });
    expect((await post('{"a":[1,2]}')).json()).toEqual({ a: [1, 2] });
    for (const bad of ['{"\\u005f_proto__":{"x":1}}', '', '{'])
      expect(await post(bad).then((r) => [r.statusCode, r.json().code])).toEqual([400, 'HETAO_API_VALIDATION']);
    await app.close();
  });
});
