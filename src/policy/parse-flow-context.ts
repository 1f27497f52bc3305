import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { HetaoError } from '../core/index.js';
import {
  DATA_TYPE_PATTERN,
  FLOW_CONTEXT_DEFAULTS,
  FLOW_CONTEXT_FIELDS,
  FlowContextSchema,
} from './flow-context-schema.js';
import { CLASSIFICATIONS, type FlowContext, JURISDICTIONS, ORIGINS, ZONES } from './types.js';
import { describeProblems, type Problem, type ProblemVocabulary, problemsError } from './validation-problems.js';

const validator = Compile(FlowContextSchema);

const vocabulary: ProblemVocabulary = {
  label: 'flow context',
  fields: FLOW_CONTEXT_FIELDS,
  missingCode: 'HETAO_POLICY_INPUT_MISSING',
  unknownCode: 'HETAO_POLICY_INPUT_UNKNOWN_FIELD',
};

const inconsistent = (field: string, message: string): Problem => ({
  code: 'HETAO_POLICY_INPUT_INCONSISTENT',
  field,
  message: `flow context: ${message}`,
});

/** Cross-field rules the schema cannot state; each would otherwise let a context be decided too leniently. */
function crossFieldProblems(ctx: FlowContext): Problem[] {
  const { exporter, data } = ctx;
  const out: Problem[] = [];
  if (data.sensitivePersonalInfo && !data.containsPersonalInfo) {
    out.push(
      inconsistent(
        'data.sensitivePersonalInfo',
        'data.sensitivePersonalInfo is true but data.containsPersonalInfo is false; sensitive personal information is personal information, so set containsPersonalInfo to true (or sensitivePersonalInfo to false)',
      ),
    );
  } else if (data.sensitivePersonalInfo && exporter.annualSensitivePiIndividualsExported === 0) {
    out.push(
      inconsistent(
        'exporter.annualSensitivePiIndividualsExported',
        'exporter.annualSensitivePiIndividualsExported is 0 but the flow carries sensitive personal information; the count includes this flow, so it must be at least 1',
      ),
    );
  } else if (data.containsPersonalInfo && !data.sensitivePersonalInfo && exporter.annualPiIndividualsExported === 0) {
    out.push(
      inconsistent(
        'exporter.annualPiIndividualsExported',
        'exporter.annualPiIndividualsExported is 0 but the flow carries personal information; the count includes this flow, so it must be at least 1',
      ),
    );
  }
  if (exporter.zone !== null && exporter.jurisdiction !== 'SZ') {
    out.push(
      inconsistent(
        'exporter.zone',
        `exporter.zone is ${exporter.zone}, a Shenzhen zone, but exporter.jurisdiction is ${exporter.jurisdiction}; set the jurisdiction to SZ or the zone to null`,
      ),
    );
  }
  return out;
}

/** Builds the frozen, fully defaulted context from input the schema accepted; copies only known fields. */
function normalise(v: Static<typeof FlowContextSchema>): FlowContext {
  const d = FLOW_CONTEXT_DEFAULTS;
  return Object.freeze({
    exporter: Object.freeze({
      jurisdiction: v.exporter.jurisdiction,
      zone: v.exporter.zone ?? d['exporter.zone'],
      isCIIO: v.exporter.isCIIO,
      annualPiIndividualsExported: v.exporter.annualPiIndividualsExported,
      annualSensitivePiIndividualsExported: v.exporter.annualSensitivePiIndividualsExported,
    }),
    importer: Object.freeze({
      jurisdiction: v.importer.jurisdiction,
      associatedWithExporter: v.importer.associatedWithExporter,
      onwardTransferOutsideGba: v.importer.onwardTransferOutsideGba ?? d['importer.onwardTransferOutsideGba'],
    }),
    data: Object.freeze({
      type: v.data.type,
      containsPersonalInfo: v.data.containsPersonalInfo,
      sensitivePersonalInfo: v.data.sensitivePersonalInfo,
      classification: v.data.classification,
      origin: v.data.origin ?? d['data.origin'],
      onGeneralDataList: v.data.onGeneralDataList ?? d['data.onGeneralDataList'],
      scenario: v.data.scenario ?? d['data.scenario'],
      purpose: v.data.purpose,
    }),
    options: Object.freeze({
      gbaStandardContractElected: v.options?.gbaStandardContractElected ?? d['options.gbaStandardContractElected'],
    }),
  });
}

type Fields = Record<string, unknown>;

const enumeration = (values: readonly string[]): ReadonlySet<unknown> => new Set(values);
const JURISDICTION = enumeration(JURISDICTIONS);
const ZONE = enumeration(ZONES);
const CLASSIFICATION = enumeration(CLASSIFICATIONS);
const ORIGIN = enumeration(ORIGINS);
const DATA_TYPE = new RegExp(DATA_TYPE_PATTERN);

const record = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): boolean =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= Number.MAX_SAFE_INTEGER;
interface Lengths {
  readonly minLength?: number;
  readonly maxLength?: number;
}
/**
 * A string within a text field's length bounds, as the schema states them. UTF-16 units bound code points from
 * above, so this never admits what the schema refuses.
 */
const within = (v: unknown, { minLength = 0, maxLength = Number.POSITIVE_INFINITY }: Lengths): v is string =>
  typeof v === 'string' && v.length >= minLength && v.length <= maxLength;
/** The JSON Schema length keywords of a string schema (TypeBox keeps them on the schema object). */
const lengthsOf = (schema: object): Lengths => schema as Lengths;
const DATA_FIELDS = FlowContextSchema.properties.data.properties;
const TYPE_TEXT = lengthsOf(DATA_FIELDS.type);
const PURPOSE_TEXT = lengthsOf(DATA_FIELDS.purpose);
const SCENARIO_TEXT = lengthsOf(DATA_FIELDS.scenario.anyOf[0]);
/** Absent (the default applies) or a boolean; a present null is refused, as the schema does. */
const optionalFlag = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
/** Every own property of `o` is one of `known`. */
function onlyKnown(o: Fields, known: ReadonlySet<string>): boolean {
  const names = Object.getOwnPropertyNames(o);
  for (let i = 0; i < names.length; i++) if (!known.has(names[i] as string)) return false;
  return true;
}
const keysOf = (o: object): ReadonlySet<string> => new Set(Object.keys(o));
const TOP = keysOf(FlowContextSchema.properties);
const EXPORTER = keysOf(FlowContextSchema.properties.exporter.properties);
const IMPORTER = keysOf(FlowContextSchema.properties.importer.properties);
const DATA = keysOf(DATA_FIELDS);
const OPTIONS = keysOf(FlowContextSchema.properties.options.properties);

/**
 * The common case in one pass: true when `v` is plainly a context the schema accepts, checked field by field
 * without the compiled schema's per-key expressions. False for a missing or wrong field, an unknown key, and
 * the few inputs it is stricter on than the schema (a text over its limit in UTF-16 units but not in characters); the
 * caller then runs the schema, which accepts or explains. Never true where the schema refuses (property-tested).
 */
export function plainlyValid(v: unknown): v is Static<typeof FlowContextSchema> {
  if (!record(v) || !onlyKnown(v, TOP)) return false;
  const { exporter: e, importer: i, data: d, options: o } = v;
  if (!record(e) || !record(i) || !record(d) || !(o === undefined || record(o))) return false;
  if (!onlyKnown(e, EXPORTER) || !onlyKnown(i, IMPORTER) || !onlyKnown(d, DATA)) return false;
  return (
    (o === undefined || (onlyKnown(o, OPTIONS) && optionalFlag(o.gbaStandardContractElected))) &&
    JURISDICTION.has(e.jurisdiction) &&
    (e.zone === undefined || e.zone === null || ZONE.has(e.zone)) &&
    typeof e.isCIIO === 'boolean' &&
    count(e.annualPiIndividualsExported) &&
    count(e.annualSensitivePiIndividualsExported) &&
    JURISDICTION.has(i.jurisdiction) &&
    typeof i.associatedWithExporter === 'boolean' &&
    optionalFlag(i.onwardTransferOutsideGba) &&
    within(d.type, TYPE_TEXT) &&
    DATA_TYPE.test(d.type) &&
    typeof d.containsPersonalInfo === 'boolean' &&
    typeof d.sensitivePersonalInfo === 'boolean' &&
    CLASSIFICATION.has(d.classification) &&
    (d.origin === undefined || ORIGIN.has(d.origin)) &&
    optionalFlag(d.onGeneralDataList) &&
    (d.scenario === undefined || d.scenario === null || within(d.scenario, SCENARIO_TEXT)) &&
    within(d.purpose, PURPOSE_TEXT)
  );
}

/** Whether the compiled schema alone accepts `input` (the tests hold plainlyValid to it). */
export function schemaAccepts(input: unknown): boolean {
  return validator.Check(input);
}

/**
 * Validates untrusted input (parsed JSON) as a flow context and applies rulebook.md's defaults. Returns a new frozen
 * FlowContext and never mutates `input`. Throws only HetaoError (HETAO_POLICY_INPUT*): `field` names the first
 * field at fault as a dotted path, the message lists every problem found and how to fix it, `details` holds them.
 */
export function parseFlowContext(input: unknown): FlowContext {
  let ctx: FlowContext;
  try {
    if (!plainlyValid(input) && !validator.Check(input)) {
      const problems = describeProblems(vocabulary, validator.Errors(input), input);
      throw problemsError(problems, {
        code: 'HETAO_POLICY_INPUT',
        field: '',
        message: 'flow context: the input does not match rulebook.md "Input"; check every field',
      });
    }
    ctx = normalise(input);
  } catch (err) {
    if (err instanceof HetaoError) throw err;
    // Exotic input (a throwing getter or proxy) can make validation itself fail; it is still bad input.
    throw new HetaoError('HETAO_POLICY_INPUT', 'flow context: the input could not be read as JSON data', {
      cause: err,
    });
  }
  const problems = crossFieldProblems(ctx);
  if (problems.length > 0) throw problemsError(problems, problems[0] as Problem);
  return ctx;
}
