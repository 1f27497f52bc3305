import { HetaoError } from '../core/index.js';
import { CONDITIONS, PIPL_EXPORT_CONDITIONS, volumeExemptionWatch } from './conditions.js';
import { piLeavesMainland } from './jurisdictions.js';
import { defaultPolicyParameters } from './parameters.js';
import type { Rule } from './rule.js';
import { rulesInOrder } from './rulebook.js';
import type { Condition, Decision, FlowContext, PolicyParameters } from './types.js';
import { RULEBOOK_VERSION } from './version.js';

/**
 * A rule with everything decide() can share between decisions computed once: both variants of sources and
 * conditions (with and without the PIPL Art 39/55 clause), frozen.
 */
interface CompiledRule {
  readonly rule: Rule;
  readonly piplClause: boolean;
  readonly sources: readonly string[];
  readonly conditions: readonly Condition[];
  readonly piplSources: readonly string[];
  readonly piplConditions: readonly Condition[];
}

/** A condition whose text states a threshold, restated with the threshold `params` sets. */
function withParameters(c: Condition, params: PolicyParameters): Condition {
  if (c === CONDITIONS.volumeExemptionWatch && params.exemptPiThreshold !== 100_000)
    return volumeExemptionWatch(params.exemptPiThreshold);
  return c;
}

function compileRule(rule: Rule, params: PolicyParameters): CompiledRule {
  const own = rule.conditions.some((c) => withParameters(c, params) !== c)
    ? Object.freeze(rule.conditions.map((c) => withParameters(c, params)))
    : rule.conditions;
  const extra = PIPL_EXPORT_CONDITIONS.filter((c) => !own.some((o) => o.id === c.id));
  return Object.freeze({
    rule,
    piplClause: rule.outcome.decision === 'allow-with-conditions',
    sources: rule.sources,
    conditions: own,
    piplSources: Object.freeze(rule.sources.includes('PIPL') ? [...rule.sources] : [...rule.sources, 'PIPL']),
    piplConditions: Object.freeze([...own, ...extra]),
  });
}

function compile(params: PolicyParameters): readonly CompiledRule[] {
  return Object.freeze(rulesInOrder(params).map((r) => compileRule(r, params)));
}

const defaultRules = compile(defaultPolicyParameters);
const compiledByParams = new WeakMap<PolicyParameters, readonly CompiledRule[]>();

function rulesFor(params: PolicyParameters): readonly CompiledRule[] {
  if (params === defaultPolicyParameters) return defaultRules;
  let rules = compiledByParams.get(params);
  if (rules === undefined) {
    rules = compile(params);
    compiledByParams.set(params, rules);
  }
  return rules;
}

/**
 * Decides a flow: the first rule of rulebook.md (in the order `params` gives) whose condition holds. The fast path:
 * `ctx` must be valid (from parseFlowContext, or built by trusted code) and `params` valid (defaults, or from
 * parsePolicyParameters); it is not checked again. Pure and deterministic. The Decision's arrays and `parameters`
 * are shared, frozen objects (`parameters` is `params` itself, by reference); only the explanation is built per call.
 */
export function decide(ctx: FlowContext, params: PolicyParameters = defaultPolicyParameters): Decision {
  const rules = rulesFor(params);
  for (let i = 0; i < rules.length; i++) {
    const c = rules[i] as CompiledRule;
    if (!c.rule.when(ctx, params)) continue;
    const pipl = c.piplClause && piLeavesMainland(ctx);
    return {
      decision: c.rule.outcome.decision,
      channel: c.rule.outcome.channel,
      ruleId: c.rule.id,
      sources: pipl ? c.piplSources : c.sources,
      conditions: pipl ? c.piplConditions : c.conditions,
      explanation: c.rule.explain(ctx, params),
      rulebookVersion: RULEBOOK_VERSION,
      parameters: params,
    };
  }
  throw new HetaoError(
    'HETAO_POLICY_NO_RULE',
    'policy: no rule fired for this flow context; the context or parameters bypassed validation, or this is a defect to report',
  );
}
