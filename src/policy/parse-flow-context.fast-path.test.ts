import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFlowContext, plainlyValid, schemaAccepts } from './parse-flow-context.js';
import { brokenFlowContext, validFlowContext } from './testing/flow-context-arbitrary.js';

type Json = Record<string, unknown>;
const OPTIONAL: readonly (readonly [string, string])[] = [
  ['exporter', 'zone'],
  ['importer', 'onwardTransferOutsideGba'],
  ['data', 'origin'],
  ['data', 'onGeneralDataList'],
  ['data', 'scenario'],
  ['options', 'gbaStandardContractElected'],
];

/** A valid context as JSON would bring it, with some optional fields (or all of options) left out. */
const wireContext = fc
  .tuple(validFlowContext, fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }))
  .map(([ctx, drop]) => {
    const copy = JSON.parse(JSON.stringify(ctx)) as Json;
    OPTIONAL.forEach(([part, key], i) => {
      if (drop[i]) delete (copy[part] as Json)[key];
    });
    if (drop[6]) delete copy.options;
    return copy;
  });

/** Inputs near the schema's edges: present-but-null optionals, long and empty strings, non-integers, inheritance. */
const edgeContext = fc
  .tuple(
    wireContext,
    fc.constantFrom(...OPTIONAL, ['data', 'purpose'] as const, ['data', 'type'] as const),
    fc.constantFrom<unknown>(
      null,
      '',
      'x'.repeat(200),
      'x'.repeat(201),
      'é'.repeat(200),
      1.5,
      -1,
      2 ** 53,
      'abroad',
      {},
    ),
    fc.boolean(),
  )
  .map(([ctx, [part, key], value, inherit]) => {
    const obj = (ctx[part] ?? {}) as Json;
    obj[key] = value;
    ctx[part] = inherit ? Object.create(obj) : obj;
    return ctx;
  });

describe('plainlyValid, the one-pass check parseFlowContext tries before the schema', () => {
  it('passes every valid context as it comes off the wire, as the schema does', () => {
    fc.assert(
      fc.property(wireContext, (input) => {
        expect(plainlyValid(input)).toBe(true);
        expect(schemaAccepts(input)).toBe(true);
        const ctx = parseFlowContext(input);
        expect(Object.isFrozen(ctx) && Object.isFrozen(ctx.data) && Object.isFrozen(ctx.options)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never passes what the schema refuses', () => {
    fc.assert(
      fc.property(fc.oneof(brokenFlowContext, edgeContext, fc.jsonValue()), (input) => {
        if (plainlyValid(input)) expect(schemaAccepts(input)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a present-but-null optional flag and an unknown key, which the schema refuses too', () => {
    const input = JSON.parse(JSON.stringify(fc.sample(wireContext, { numRuns: 1, seed: 7 })[0])) as Json;
    (input.importer as Json).onwardTransferOutsideGba = null;
    expect(plainlyValid(input)).toBe(false);
    expect(schemaAccepts(input)).toBe(false);
    (input.importer as Json).onwardTransferOutsideGba = false;
    expect(plainlyValid(input)).toBe(true);
    (input.data as Json).colour = 'blue';
    expect(plainlyValid(input)).toBe(false);
    expect(schemaAccepts(input)).toBe(false);
  });
});
