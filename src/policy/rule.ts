import type { Channel, Condition, DecisionOutcome, FlowContext, PolicyParameters, SourceKey } from './types.js';

/**
 * One rule of rulebook.md, declared as data. The engine tries rules in order; the first whose `when` holds decides
 * with its `outcome` and `conditions` (plus the PIPL Art 39/55 conditions when PI leaves the Mainland with
 * allow-with-conditions). `when` and `explain` are pure and total over valid contexts, and must not allocate
 * beyond the explanation string: they run on decide()'s hot path.
 */
export interface Rule {
  /** Stable id: `R` + the rulebook number (`R2a`..`R2c` are rule 2's three branches). */
  readonly id: string;
  readonly title: string;
  /** Source keys of rulebook.md "Sources" this rule rests on. */
  readonly sources: readonly SourceKey[];
  readonly outcome: { readonly decision: DecisionOutcome; readonly channel: Channel };
  readonly conditions: readonly Condition[];
  when(ctx: FlowContext, params: PolicyParameters): boolean;
  /** One readable sentence saying why, counts and thresholds formatted with thousands separators. */
  explain(ctx: FlowContext, params: PolicyParameters): string;
}

/** Freezes a rule declaration and its arrays. */
export function defineRule(rule: Rule): Rule {
  Object.freeze(rule.sources);
  Object.freeze(rule.conditions);
  Object.freeze(rule.outcome);
  return Object.freeze(rule);
}
