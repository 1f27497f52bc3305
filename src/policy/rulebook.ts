import type { Rule } from './rule.js';
import {
  coreDataRule,
  domesticRule,
  generalDataListRule,
  hkGbaContractRule,
  hkNoPiRule,
  hkPiRule,
  importantDataRule,
  noPersonalInfoRule,
} from './rules-gateway.js';
import {
  ciioRule,
  gbaContractRule,
  necessityRule,
  reExportRule,
  standardContractRule,
  volumeAssessmentRule,
  volumeExemptRule,
} from './rules-personal-info.js';
import type { PolicyParameters } from './types.js';

/** Every rule of rulebook.md in its evaluation order (with default parameters). */
export const RULES: readonly Rule[] = Object.freeze([
  domesticRule,
  hkGbaContractRule,
  hkNoPiRule,
  hkPiRule,
  coreDataRule,
  importantDataRule,
  generalDataListRule,
  noPersonalInfoRule,
  reExportRule,
  necessityRule,
  ciioRule,
  volumeAssessmentRule,
  gbaContractRule,
  volumeExemptRule,
  standardContractRule,
]);

/**
 * The order rules are tried in under `params`. With gbaContractLiftsVolumeCaps, rule 11 goes before rule 10; as
 * rule 11 only fires for GBA flows (SZ or GBA-mainland to HK), this is exactly "rule 11 is tried first for GBA
 * flows" and changes nothing for others.
 */
export function rulesInOrder(params: PolicyParameters): readonly Rule[] {
  if (!params.gbaContractLiftsVolumeCaps) return RULES;
  const out = RULES.filter((r) => r !== gbaContractRule);
  out.splice(out.indexOf(volumeAssessmentRule), 0, gbaContractRule);
  return Object.freeze(out);
}

/** The public view of a rule: what `hetao policy rules` lists. */
export interface RulebookEntry {
  readonly id: string;
  readonly title: string;
  readonly sources: readonly string[];
  readonly decision: string;
  readonly channel: string;
}

export const rulebook: readonly RulebookEntry[] = Object.freeze(
  RULES.map((r) =>
    Object.freeze({
      id: r.id,
      title: r.title,
      sources: r.sources,
      decision: r.outcome.decision,
      channel: r.outcome.channel,
    }),
  ),
);
