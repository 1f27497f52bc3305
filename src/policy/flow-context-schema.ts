import { Type } from 'typebox';
import { CLASSIFICATIONS, JURISDICTIONS, ORIGINS, ZONES } from './types.js';
import type { FieldSpec } from './validation-problems.js';

/**
 * The wire form of a flow context (rulebook.md "Input"), as TypeBox JSON Schema: the API route and the CLI accept
 * exactly this. Optional fields are only those with a default (FLOW_CONTEXT_DEFAULTS); every object rejects fields
 * it does not define. Cross-field rules (sensitive PI is PI, counts include this flow) live in parseFlowContext.
 */
export const FLOW_CONTEXT_DEFAULTS = Object.freeze({
  'exporter.zone': null,
  'importer.onwardTransferOutsideGba': false,
  'data.origin': 'local',
  'data.onGeneralDataList': false,
  'data.scenario': null,
  'options.gbaStandardContractElected': false,
} as const);

/** Counts are whole individuals; 2^53 - 1 keeps them exact in a JS number. */
const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Jurisdiction = Type.Enum([...JURISDICTIONS]);
/** A dotted data-type name: segments of letters, digits, `_` or `-`, e.g. `logistics.shipment-status`. */
export const DATA_TYPE_PATTERN = '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*$';
const strict = { additionalProperties: false } as const;

export const FlowContextSchema = Type.Object(
  {
    exporter: Type.Object(
      {
        jurisdiction: Jurisdiction,
        zone: Type.Optional(Type.Union([Type.Enum([...ZONES]), Type.Null()], { default: null })),
        isCIIO: Type.Boolean(),
        annualPiIndividualsExported: Count,
        annualSensitivePiIndividualsExported: Count,
      },
      strict,
    ),
    importer: Type.Object(
      {
        jurisdiction: Jurisdiction,
        associatedWithExporter: Type.Boolean(),
        onwardTransferOutsideGba: Type.Optional(Type.Boolean({ default: false })),
      },
      strict,
    ),
    data: Type.Object(
      {
        type: Type.String({ pattern: DATA_TYPE_PATTERN, maxLength: 200 }),
        containsPersonalInfo: Type.Boolean(),
        sensitivePersonalInfo: Type.Boolean(),
        classification: Type.Enum([...CLASSIFICATIONS]),
        origin: Type.Optional(Type.Enum([...ORIGINS], { default: 'local' })),
        onGeneralDataList: Type.Optional(Type.Boolean({ default: false })),
        scenario: Type.Optional(
          Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], { default: null }),
        ),
        purpose: Type.String({ minLength: 1, maxLength: 200 }),
      },
      strict,
    ),
    options: Type.Optional(
      Type.Object({ gbaStandardContractElected: Type.Optional(Type.Boolean({ default: false })) }, strict),
    ),
  },
  strict,
);

function words(values: readonly string[]): string {
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

const input = (expect: string): FieldSpec => ({ code: 'HETAO_POLICY_INPUT', expect });
const oneOf = (values: readonly string[]): FieldSpec => ({ code: 'HETAO_POLICY_INPUT_ENUM', expect: words(values) });
const count: FieldSpec = {
  code: 'HETAO_POLICY_INPUT_COUNT',
  expect: 'a whole number of individuals, 0 or more, counted since 1 January with this flow included',
};
const bool = input('true or false');

/** Every field of FlowContextSchema by dotted path, with what it must be (for error messages). */
export const FLOW_CONTEXT_FIELDS: Readonly<Record<string, FieldSpec>> = Object.freeze({
  '': input('a JSON object with exporter, importer, data and options'),
  exporter: input(
    'an object with jurisdiction, zone, isCIIO, annualPiIndividualsExported and annualSensitivePiIndividualsExported',
  ),
  'exporter.jurisdiction': oneOf(JURISDICTIONS),
  'exporter.zone': oneOf([...ZONES, 'null']),
  'exporter.isCIIO': bool,
  'exporter.annualPiIndividualsExported': count,
  'exporter.annualSensitivePiIndividualsExported': count,
  importer: input('an object with jurisdiction, associatedWithExporter and onwardTransferOutsideGba'),
  'importer.jurisdiction': oneOf(JURISDICTIONS),
  'importer.associatedWithExporter': bool,
  'importer.onwardTransferOutsideGba': bool,
  data: input(
    'an object with type, containsPersonalInfo, sensitivePersonalInfo, classification, origin, onGeneralDataList, scenario and purpose',
  ),
  'data.type': input('a dotted data-type name such as "logistics.shipment-status" (letters, digits, _ or -)'),
  'data.containsPersonalInfo': bool,
  'data.sensitivePersonalInfo': bool,
  'data.classification': oneOf(CLASSIFICATIONS),
  'data.origin': oneOf(ORIGINS),
  'data.onGeneralDataList': bool,
  'data.scenario': input('a scenario name (1 to 200 characters) or null'),
  'data.purpose': input('a purpose of 1 to 200 characters, e.g. contract-necessity, hr, emergency or analytics'),
  options: input('an object with gbaStandardContractElected'),
  'options.gbaStandardContractElected': bool,
});
