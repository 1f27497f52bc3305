/**
 * The flow policy engine: rulebook.md as code. Pure (no I/O, no clock). `decide` is the fast path for trusted
 * contexts; `decideInput` and `createFlowDecider` validate first. Everything thrown is a HetaoError.
 */
import { decide } from './decide.js';
import { defaultPolicyParameters } from './parameters.js';
import { parseFlowContext } from './parse-flow-context.js';
import type { Decision, FlowDecider, PolicyParameters } from './types.js';

export { CONDITIONS, PIPL_EXPORT_CONDITIONS } from './conditions.js';
export { decide } from './decide.js';
export { decisionJson } from './decision-json.js';
export { FLOW_CONTEXT_DEFAULTS, FlowContextSchema } from './flow-context-schema.js';
export { formatCount } from './format-count.js';
export { isGba, isMainland, piLeavesMainland } from './jurisdictions.js';
export { defaultPolicyParameters, PolicyParametersSchema, parsePolicyParameters } from './parameters.js';
export { parseFlowContext } from './parse-flow-context.js';
export { renderRulebook } from './render-rulebook.js';
export { type RulebookEntry, rulebook } from './rulebook.js';
export { NECESSITY_PURPOSES } from './rules-personal-info.js';
export { compareStrictness, DECISION_STRICTNESS } from './strictness.js';
export * from './types.js';
export { RULEBOOK_VERSION } from './version.js';

/** Validates untrusted input (parsed JSON) and decides it. Throws HetaoError HETAO_POLICY_INPUT* when invalid. */
export function decideInput(input: unknown, params: PolicyParameters = defaultPolicyParameters): Decision {
  return decide(parseFlowContext(input), params);
}

/** A FlowDecider (types.ts) that validates every context before deciding it under `params`. */
export function createFlowDecider(params: PolicyParameters = defaultPolicyParameters): FlowDecider {
  return (ctx) => decide(parseFlowContext(ctx), params);
}
