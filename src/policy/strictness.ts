import type { DecisionOutcome } from './types.js';

/** How strict each outcome is: allow < allow-with-conditions < requires-approval < deny. */
export const DECISION_STRICTNESS: Readonly<Record<DecisionOutcome, number>> = Object.freeze({
  allow: 0,
  'allow-with-conditions': 1,
  'requires-approval': 2,
  deny: 3,
});

/** Negative when `a` is less strict than `b`, 0 when equal, positive when stricter. */
export function compareStrictness(a: DecisionOutcome, b: DecisionOutcome): number {
  return DECISION_STRICTNESS[a] - DECISION_STRICTNESS[b];
}
