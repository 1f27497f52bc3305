import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { parseFlowContext } from './index.js';
import { flowContext } from './testing/flow-context-factory.js';

type Json = Record<string, unknown>;
/** A valid wire context, deep-copied so each test can break it. */
const valid = (): Json => JSON.parse(JSON.stringify(flowContext())) as Json;
const at = (o: Json, part: string) => o[part] as Json;

function rejection(input: unknown): HetaoError {
  try {
    parseFlowContext(input);
  } catch (err) {
    expect(err).toBeInstanceOf(HetaoError);
    return err as HetaoError;
  }
  throw new Error('expected a rejection');
}

describe('parseFlowContext accepts', () => {
  it('a full valid context, unchanged and frozen', () => {
    const input = valid();
    const ctx = parseFlowContext(input);
    expect(ctx).toEqual(input);
    expect(Object.isFrozen(ctx.data)).toBe(true);
  });
  it('a minimal context and applies the rulebook defaults', () => {
    const input = valid();
    delete at(input, 'exporter').zone;
    delete at(input, 'importer').onwardTransferOutsideGba;
    for (const k of ['origin', 'onGeneralDataList', 'scenario']) delete at(input, 'data')[k];
    delete input.options;
    const snapshot = JSON.stringify(input);
    const ctx = parseFlowContext(input);
    expect(JSON.stringify(input)).toBe(snapshot);
    expect(ctx.exporter.zone).toBeNull();
    expect(ctx.importer.onwardTransferOutsideGba).toBe(false);
    expect(ctx.data).toMatchObject({ origin: 'local', onGeneralDataList: false, scenario: null });
    expect(ctx.options).toEqual({ gbaStandardContractElected: false });
    expect(parseFlowContext({ ...input, options: {} }).options).toEqual({ gbaStandardContractElected: false });
  });
});

describe('parseFlowContext rejects, with code and dotted field', () => {
  const cases: [string, (i: Json) => unknown, string, string, RegExp][] = [
    [
      'an unknown enum',
      (i) => {
        at(i, 'data').classification = 'secret';
      },
      'HETAO_POLICY_INPUT_ENUM',
      'data.classification',
      /^flow context: data\.classification must be general, important or core \(got "secret"\)$/,
    ],
    [
      'an unknown jurisdiction',
      (i) => {
        at(i, 'importer').jurisdiction = 'TW';
      },
      'HETAO_POLICY_INPUT_ENUM',
      'importer.jurisdiction',
      /SZ, GBA-mainland, mainland-other, HK, MO or overseas/,
    ],
    [
      'an unknown zone',
      (i) => {
        at(i, 'exporter').zone = 'nansha';
      },
      'HETAO_POLICY_INPUT_ENUM',
      'exporter.zone',
      /qianhai, hetao-sz or null/,
    ],
    [
      'an unknown origin',
      (i) => {
        at(i, 'data').origin = 'mars';
      },
      'HETAO_POLICY_INPUT_ENUM',
      'data.origin',
      /local or abroad/,
    ],
    [
      'a negative count',
      (i) => {
        at(i, 'exporter').annualPiIndividualsExported = -1;
      },
      'HETAO_POLICY_INPUT_COUNT',
      'exporter.annualPiIndividualsExported',
      /whole number.*got -1/,
    ],
    [
      'a fractional count',
      (i) => {
        at(i, 'exporter').annualSensitivePiIndividualsExported = 1.5;
      },
      'HETAO_POLICY_INPUT_COUNT',
      'exporter.annualSensitivePiIndividualsExported',
      /got 1\.5/,
    ],
    [
      'a count as a string',
      (i) => {
        at(i, 'exporter').annualPiIndividualsExported = '100';
      },
      'HETAO_POLICY_INPUT_COUNT',
      'exporter.annualPiIndividualsExported',
      /got "100"/,
    ],
    [
      'a count beyond 2^53',
      (i) => {
        at(i, 'exporter').annualPiIndividualsExported = 2 ** 60;
      },
      'HETAO_POLICY_INPUT_COUNT',
      'exporter.annualPiIndividualsExported',
      /whole number/,
    ],
    [
      'sensitive PI without PI',
      (i) => {
        Object.assign(at(i, 'data'), { containsPersonalInfo: false, sensitivePersonalInfo: true });
      },
      'HETAO_POLICY_INPUT_INCONSISTENT',
      'data.sensitivePersonalInfo',
      /set containsPersonalInfo to true/,
    ],
    [
      'sensitive PI with s = 0',
      (i) => {
        at(i, 'data').sensitivePersonalInfo = true;
      },
      'HETAO_POLICY_INPUT_INCONSISTENT',
      'exporter.annualSensitivePiIndividualsExported',
      /at least 1/,
    ],
    [
      'PI with n = 0',
      (i) => {
        at(i, 'exporter').annualPiIndividualsExported = 0;
      },
      'HETAO_POLICY_INPUT_INCONSISTENT',
      'exporter.annualPiIndividualsExported',
      /at least 1/,
    ],
    [
      'a zone outside SZ',
      (i) => {
        Object.assign(at(i, 'exporter'), { jurisdiction: 'mainland-other', zone: 'qianhai' });
      },
      'HETAO_POLICY_INPUT_INCONSISTENT',
      'exporter.zone',
      /set the jurisdiction to SZ/,
    ],
    [
      'a missing field',
      (i) => {
        delete at(i, 'data').classification;
      },
      'HETAO_POLICY_INPUT_MISSING',
      'data.classification',
      /data\.classification is missing; it must be general, important or core/,
    ],
    [
      'a missing object',
      (i) => {
        delete i.importer;
      },
      'HETAO_POLICY_INPUT_MISSING',
      'importer',
      /importer is missing/,
    ],
    [
      'a missing isCIIO',
      (i) => {
        delete at(i, 'exporter').isCIIO;
      },
      'HETAO_POLICY_INPUT_MISSING',
      'exporter.isCIIO',
      /true or false/,
    ],
    [
      'a wrong type',
      (i) => {
        at(i, 'data').containsPersonalInfo = 'yes';
      },
      'HETAO_POLICY_INPUT',
      'data.containsPersonalInfo',
      /must be true or false \(got "yes"\)/,
    ],
    [
      'an object where a boolean belongs',
      (i) => {
        at(i, 'importer').associatedWithExporter = {};
      },
      'HETAO_POLICY_INPUT',
      'importer.associatedWithExporter',
      /got \{\}/,
    ],
    [
      'a bad data type name',
      (i) => {
        at(i, 'data').type = 'crm records!';
      },
      'HETAO_POLICY_INPUT',
      'data.type',
      /dotted data-type name/,
    ],
    [
      'an empty purpose',
      (i) => {
        at(i, 'data').purpose = '';
      },
      'HETAO_POLICY_INPUT',
      'data.purpose',
      /purpose of 1 to 200/,
    ],
    [
      'an unknown nested field',
      (i) => {
        at(i, 'data').clasification = 'general';
      },
      'HETAO_POLICY_INPUT_UNKNOWN_FIELD',
      'data.clasification',
      /not a known field; remove it \(data allows type, containsPersonalInfo/,
    ],
    [
      'an unknown top-level field',
      (i) => {
        i.extra = 1;
      },
      'HETAO_POLICY_INPUT_UNKNOWN_FIELD',
      'extra',
      /the top level allows exporter, importer, data, options/,
    ],
    [
      'a __proto__ key',
      (i) => JSON.parse(JSON.stringify(i).replace('{', '{"__proto__":{"x":1},')),
      'HETAO_POLICY_INPUT_UNKNOWN_FIELD',
      '__proto__',
      /not a known field/,
    ],
    [
      'an object that is an array',
      (i) => {
        i.exporter = [];
      },
      'HETAO_POLICY_INPUT',
      'exporter',
      /must be an object/,
    ],
  ];
  it.each(cases)('%s', (_, breakIt, code, field, message) => {
    const input = valid();
    const replaced = breakIt(input);
    const err = rejection(replaced ?? input);
    expect(err.code).toBe(code);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.status).toBe(400);
  });

  it.each([null, 'a string', 42, [], true])('a body that is not an object (%j)', (input) => {
    const err = rejection(input);
    expect(err.code).toBe('HETAO_POLICY_INPUT');
    expect(err.field).toBeUndefined();
    expect(err.message).toMatch(/^flow context must be a JSON object/);
  });

  it('lists every problem, the first naming code and field', () => {
    const input = valid();
    at(input, 'data').classification = 'secret';
    at(input, 'exporter').annualPiIndividualsExported = -5;
    const err = rejection(input);
    const fields = (err.details as { field: string }[]).map((p) => p.field).sort();
    expect(fields).toEqual(['data.classification', 'exporter.annualPiIndividualsExported']);
    expect(err.message).toContain('; ');
  });

  it('a throwing getter is bad input, not a crash', () => {
    const input = valid();
    Object.defineProperty(at(input, 'data'), 'purpose', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(rejection(input).code).toBe('HETAO_POLICY_INPUT');
  });
});
