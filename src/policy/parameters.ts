import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { HetaoError } from '../core/index.js';
import type { PolicyParameters, Zone } from './types.js';
import { ZONES } from './types.js';
import { describeProblems, type ProblemVocabulary, problemsError } from './validation-problems.js';

/** rulebook.md's defaults. Frozen; decide() without parameters uses exactly this object. */
export const defaultPolicyParameters: PolicyParameters = Object.freeze({
  /** Rule 10's parameter: when true, rule 11 (GBA standard contract) is tried before rule 10 for GBA flows. */
  gbaContractLiftsVolumeCaps: false,
  /** Rule 5: zones whose exporters may use the general data list. */
  generalDataListZones: Object.freeze(['qianhai'] as Zone[]),
  /** P24 Art 7(2): individuals (non-sensitive PI) at or above which an assessment is required. */
  assessmentPiThreshold: 1_000_000,
  /** P24 Art 7(2): individuals (sensitive PI) at or above which an assessment is required. */
  assessmentSensitiveThreshold: 10_000,
  /** P24 Art 5(4): individuals at or above which the volume exemption ends. */
  exemptPiThreshold: 100_000,
});

const Threshold = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });

/** Overrides: any subset of PolicyParameters; omitted ones keep their defaults. */
export const PolicyParametersSchema = Type.Object(
  {
    gbaContractLiftsVolumeCaps: Type.Optional(Type.Boolean()),
    generalDataListZones: Type.Optional(Type.Array(Type.Enum([...ZONES]), { maxItems: ZONES.length * 4 })),
    assessmentPiThreshold: Type.Optional(Threshold),
    assessmentSensitiveThreshold: Type.Optional(Threshold),
    exemptPiThreshold: Type.Optional(Threshold),
  },
  { additionalProperties: false },
);

const validator = Compile(PolicyParametersSchema);
const code = 'HETAO_POLICY_PARAMETERS' as const;
const threshold = { code, expect: 'a whole number of individuals, 1 or more' };
const vocabulary: ProblemVocabulary = {
  label: 'policy parameters',
  fields: {
    '': {
      code,
      expect:
        'an object with any of gbaContractLiftsVolumeCaps, generalDataListZones, assessmentPiThreshold, assessmentSensitiveThreshold, exemptPiThreshold',
    },
    gbaContractLiftsVolumeCaps: { code, expect: 'true or false' },
    generalDataListZones: { code, expect: `a list of zones (${ZONES.join(', ')})` },
    assessmentPiThreshold: threshold,
    assessmentSensitiveThreshold: threshold,
    exemptPiThreshold: threshold,
  },
  missingCode: code,
  unknownCode: code,
};

/**
 * Validates parameter overrides (untrusted JSON) and merges them over the defaults. Returns a new frozen
 * PolicyParameters (zones de-duplicated); `undefined` gives defaultPolicyParameters itself. Throws only HetaoError
 * HETAO_POLICY_PARAMETERS.
 */
export function parsePolicyParameters(input: unknown): PolicyParameters {
  if (input === undefined) return defaultPolicyParameters;
  let ok: boolean;
  try {
    ok = validator.Check(input);
  } catch (err) {
    throw new HetaoError(code, 'policy parameters: the input could not be read as JSON data', { cause: err });
  }
  if (!ok) {
    // Array items report paths like `/generalDataListZones/0`; name the parameter.
    const errors = validator
      .Errors(input)
      .map((e) => ({ ...e, instancePath: e.instancePath.replace(/^(\/generalDataListZones)\/.*$/, '$1') }));
    const problems = describeProblems(vocabulary, errors, input);
    throw problemsError(problems, { code, field: '', message: 'policy parameters: invalid overrides' });
  }
  const v = input as Static<typeof PolicyParametersSchema>;
  const merged: PolicyParameters = Object.freeze({
    gbaContractLiftsVolumeCaps: v.gbaContractLiftsVolumeCaps ?? defaultPolicyParameters.gbaContractLiftsVolumeCaps,
    generalDataListZones: Object.freeze([
      ...new Set(v.generalDataListZones ?? defaultPolicyParameters.generalDataListZones),
    ]),
    assessmentPiThreshold: v.assessmentPiThreshold ?? defaultPolicyParameters.assessmentPiThreshold,
    assessmentSensitiveThreshold:
      v.assessmentSensitiveThreshold ?? defaultPolicyParameters.assessmentSensitiveThreshold,
    exemptPiThreshold: v.exemptPiThreshold ?? defaultPolicyParameters.exemptPiThreshold,
  });
  if (merged.exemptPiThreshold > merged.assessmentPiThreshold) {
    throw new HetaoError(
      code,
      `policy parameters: exemptPiThreshold (${merged.exemptPiThreshold}) must not exceed assessmentPiThreshold (${merged.assessmentPiThreshold}); lower the first or raise the second`,
      { field: 'exemptPiThreshold' },
    );
  }
  return merged;
}
