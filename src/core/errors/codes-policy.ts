import { defineErrors } from './define.js';

/** Flow policy engine (src/policy): invalid flow contexts and parameter overrides. */
export const policyErrors = defineErrors('policy', {
  HETAO_POLICY_INPUT: {
    status: 400,
    summary: 'a flow context field has the wrong type or form',
    fix: 'Give the field the type the message names (boolean, string, dotted data-type name, object) and send it again.',
  },
  HETAO_POLICY_INPUT_MISSING: {
    status: 400,
    summary: 'a required flow context field is missing',
    fix: 'Add the field the message names; only the fields rulebook.md gives a default may be left out.',
  },
  HETAO_POLICY_INPUT_UNKNOWN_FIELD: {
    status: 400,
    summary: 'a flow context has a field the rulebook does not define',
    fix: 'Remove the field or correct its spelling; the message lists the fields allowed there.',
  },
  HETAO_POLICY_INPUT_ENUM: {
    status: 400,
    summary: 'a flow context field has a value outside its allowed set',
    fix: 'Use one of the values the message lists (jurisdiction, zone, classification or origin).',
  },
  HETAO_POLICY_INPUT_COUNT: {
    status: 400,
    summary: 'an annual individuals count is negative, fractional or not a number',
    fix: 'Send a whole number of individuals, 0 or more, counted since 1 January with this flow included.',
  },
  HETAO_POLICY_INPUT_INCONSISTENT: {
    status: 400,
    summary: 'flow context fields contradict each other',
    fix: 'Make the fields agree as the message says (sensitive PI is PI; the counts include this flow; zones are in SZ).',
  },
  HETAO_POLICY_PARAMETERS: {
    status: 400,
    summary: 'a policy parameter override is invalid',
    fix: 'Correct the parameter the message names; omit it to use the default rulebook.md gives.',
  },
  HETAO_POLICY_NO_RULE: {
    status: 500,
    summary: 'no rule of the rulebook fired for a flow context',
    fix: 'Report it with the flow context and parameters: the rules are meant to cover every valid context.',
  },
});
