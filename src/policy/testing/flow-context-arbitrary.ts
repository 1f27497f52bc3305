import fc from 'fast-check';
import type { FlowContext } from '../types.js';
import { CLASSIFICATIONS, JURISDICTIONS, ORIGINS, ZONES } from '../types.js';

/** Counts near the rulebook's boundaries, and anywhere up to 5,000,000. */
const count = fc.oneof(
  fc.constantFrom(0, 1, 9_999, 10_000, 99_999, 100_000, 999_999, 1_000_000),
  fc.integer({ min: 0, max: 5_000_000 }),
);

/** Any valid FlowContext (it passes parseFlowContext): consistent PI flags, counts and zone. */
export const validFlowContext: fc.Arbitrary<FlowContext> = fc
  .record({
    ej: fc.constantFrom(...JURISDICTIONS),
    zone: fc.constantFrom(...ZONES, null),
    isCIIO: fc.boolean(),
    n: count,
    s: count,
    ij: fc.constantFrom(...JURISDICTIONS),
    associated: fc.boolean(),
    onward: fc.boolean(),
    pi: fc.boolean(),
    sensitive: fc.boolean(),
    classification: fc.constantFrom(...CLASSIFICATIONS),
    origin: fc.constantFrom(...ORIGINS),
    listed: fc.boolean(),
    scenario: fc.constantFrom(null, 'cross-border-logistics'),
    purpose: fc.constantFrom('contract-necessity', 'hr', 'emergency', 'analytics', 'marketing'),
    elected: fc.boolean(),
  })
  .map((r) => {
    const sensitive = r.pi && r.sensitive;
    return {
      exporter: {
        jurisdiction: r.ej,
        zone: r.ej === 'SZ' ? r.zone : null,
        isCIIO: r.isCIIO,
        annualPiIndividualsExported: r.pi && !sensitive && r.n === 0 ? 1 : r.n,
        annualSensitivePiIndividualsExported: sensitive && r.s === 0 ? 1 : r.s,
      },
      importer: { jurisdiction: r.ij, associatedWithExporter: r.associated, onwardTransferOutsideGba: r.onward },
      data: {
        type: 'crm.records',
        containsPersonalInfo: r.pi,
        sensitivePersonalInfo: sensitive,
        classification: r.classification,
        origin: r.origin,
        onGeneralDataList: r.listed,
        scenario: r.scenario,
        purpose: r.purpose,
      },
      options: { gbaStandardContractElected: r.elected },
    };
  });

type Json = { [k: string]: unknown };

/** A valid context with one field broken: a leaf replaced by arbitrary JSON, a key dropped or an extra key added. */
export const brokenFlowContext: fc.Arbitrary<unknown> = fc
  .tuple(
    validFlowContext,
    fc.constantFrom('exporter', 'importer', 'data', 'options'),
    fc.nat(),
    fc.constantFrom('replace', 'delete', 'add'),
    fc.jsonValue(),
  )
  .map(([ctx, part, pick, how, value]) => {
    const copy = JSON.parse(JSON.stringify(ctx)) as Json;
    const obj = copy[part] as Json;
    const keys = Object.keys(obj);
    const key = keys[pick % keys.length] as string;
    if (how === 'replace') obj[key] = value;
    else if (how === 'delete') delete obj[key];
    else obj[`x${pick}`] = value;
    return copy;
  });
