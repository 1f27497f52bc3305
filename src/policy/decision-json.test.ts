import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionJson } from './decision-json.js';
import { decide, defaultPolicyParameters, parsePolicyParameters } from './index.js';
import { validFlowContext } from './testing/flow-context-arbitrary.js';
import type { Decision } from './types.js';

describe('decisionJson', () => {
  it('writes exactly what JSON.stringify writes, for decisions under any parameters', () => {
    const paramSets = [
      defaultPolicyParameters,
      parsePolicyParameters({ gbaContractLiftsVolumeCaps: true, generalDataListZones: ['qianhai', 'hetao-sz'] }),
    ];
    fc.assert(
      fc.property(validFlowContext, (c) => {
        for (const p of paramSets) {
          const d = decide(c, p);
          // twice: the first call fills the shared texts, the second reads them
          expect(decisionJson(d)).toBe(JSON.stringify(d));
          expect(decisionJson(d)).toBe(JSON.stringify(d));
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('writes what an object holds now when it is not frozen', () => {
    const base = decide(fc.sample(validFlowContext, { numRuns: 1, seed: 7 })[0] as never);
    const sources = ['PIPL'];
    const d: Decision = { ...base, sources, explanation: 'quote " and \\ and line\nbreak' };
    expect(decisionJson(d)).toBe(JSON.stringify(d));
    sources.push('PDPO');
    expect(decisionJson(d)).toBe(JSON.stringify(d));
    expect(JSON.parse(decisionJson(d)).sources).toEqual(['PIPL', 'PDPO']);
  });

  it('never reuses a frame for a decision that shares its conditions but differs elsewhere', () => {
    const base = decide(fc.sample(validFlowContext, { numRuns: 1, seed: 7 })[0] as never);
    expect(decisionJson(base)).toBe(JSON.stringify(base));
    const variants: Decision[] = [
      { ...base, decision: 'deny' },
      { ...base, channel: base.channel === 'hk-pdpo' ? 'domestic' : 'hk-pdpo' },
      { ...base, ruleId: 'R99' },
      { ...base, sources: Object.freeze(['PDPO']) },
      { ...base, rulebookVersion: '1999.1' },
      { ...base, parameters: parsePolicyParameters({ gbaContractLiftsVolumeCaps: true }) },
    ];
    for (const d of variants) {
      expect(decisionJson(d)).toBe(JSON.stringify(d));
      expect(decisionJson(base)).toBe(JSON.stringify(base));
    }
  });
});
