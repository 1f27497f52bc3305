import type { Decision } from './types.js';

/**
 * JSON for the parts of a Decision that decide() shares between decisions: frozen arrays of sources and
 * conditions and the frozen parameters. Their text cannot change, so it is written once per object. Keyed by
 * identity and held weakly, so parameters replaced at run time are dropped with their text.
 */
const shared = new WeakMap<object, string>();
/** Outcome, channel, rule id and version: a few dozen short strings, escaped once (0.35 µs a reply saved). */
const names = new Map<string, string>();

function deepFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

function sharedJson(value: object): string {
  let json = shared.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    // Only deeply frozen objects are sure to keep the text they had; anything else is written every time.
    if (deepFrozen(value)) shared.set(value, json);
  }
  return json;
}

function nameJson(name: string): string {
  let json = names.get(name);
  if (json === undefined) {
    json = JSON.stringify(name);
    if (names.size < 1_000) names.set(name, json);
  }
  return json;
}

/** Everything of a reply but its explanation, for the shared parts it was written from. */
interface Frame {
  readonly decision: string;
  readonly channel: string;
  readonly ruleId: string;
  readonly sources: readonly string[];
  readonly conditions: Decision['conditions'];
  readonly rulebookVersion: string;
  readonly parameters: Decision['parameters'];
  /** The JSON before the explanation's value, and after it. */
  readonly head: string;
  readonly tail: string;
}
/** Frames by conditions array: one per rule outcome (with or without the PIPL clause) and parameters. */
const frames = new WeakMap<object, Frame>();

function frameFor(d: Decision): Frame {
  const f = frames.get(d.conditions);
  if (
    f !== undefined &&
    f.decision === d.decision &&
    f.channel === d.channel &&
    f.ruleId === d.ruleId &&
    f.sources === d.sources &&
    f.rulebookVersion === d.rulebookVersion &&
    f.parameters === d.parameters
  )
    return f;
  const frame: Frame = {
    decision: d.decision,
    channel: d.channel,
    ruleId: d.ruleId,
    sources: d.sources,
    conditions: d.conditions,
    rulebookVersion: d.rulebookVersion,
    parameters: d.parameters,
    head:
      `{"decision":${nameJson(d.decision)},"channel":${nameJson(d.channel)},"ruleId":${nameJson(d.ruleId)}` +
      `,"sources":${sharedJson(d.sources)},"conditions":${sharedJson(d.conditions)},"explanation":`,
    tail: `,"rulebookVersion":${nameJson(d.rulebookVersion)},"parameters":${sharedJson(d.parameters)}}`,
  };
  // kept only while every part it was written from is deeply frozen, so the text cannot go stale
  if (deepFrozen(d.sources) && deepFrozen(d.conditions) && deepFrozen(d.parameters)) frames.set(d.conditions, frame);
  return frame;
}

/**
 * A Decision as JSON, exactly what JSON.stringify gives (same keys, same order). Everything but the explanation
 * (the one part built per decision) is written once per rule outcome and parameters, so a reply is three pieces:
 * the frame's head, the escaped explanation, its tail. The API's decide reply is written with it.
 */
export function decisionJson(d: Decision): string {
  const f = frameFor(d);
  return f.head + JSON.stringify(d.explanation) + f.tail;
}
