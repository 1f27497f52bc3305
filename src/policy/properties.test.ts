import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorRegistry, HetaoError } from '../core/index.js';
import {
  compareStrictness,
  decide,
  decideInput,
  defaultPolicyParameters,
  isMainland,
  parsePolicyParameters,
  piLeavesMainland,
} from './index.js';
import { brokenFlowContext, validFlowContext } from './testing/flow-context-arbitrary.js';
import type { FlowContext } from './types.js';

const paramSets = [defaultPolicyParameters, parsePolicyParameters({ gbaContractLiftsVolumeCaps: true })];
const leavesMainland = (c: FlowContext) => isMainland(c.exporter.jurisdiction) && !isMainland(c.importer.jurisdiction);
const runs = { numRuns: 2_000 };

describe('decide, properties over valid contexts', () => {
  it('every valid context passes validation and is decided the same way twice', () => {
    fc.assert(
      fc.property(validFlowContext, (c) => {
        for (const p of paramSets) {
          const d = decide(c, p);
          expect(decide(structuredClone(c), p)).toEqual(d);
          expect(decideInput(JSON.parse(JSON.stringify(c)), p)).toEqual(d);
        }
      }),
      runs,
    );
  });

  it('core data leaving the Mainland is always denied', () => {
    fc.assert(
      fc.property(validFlowContext, (c) => {
        fc.pre(c.data.classification === 'core' && leavesMainland(c));
        for (const p of paramSets) expect(decide(c, p).decision).toBe('deny');
      }),
      runs,
    );
  });

  it('important data leaving the Mainland always requires approval, listed or not', () => {
    fc.assert(
      fc.property(validFlowContext, (c) => {
        fc.pre(c.data.classification === 'important' && leavesMainland(c));
        for (const p of paramSets)
          expect(decide(c, p)).toMatchObject({ decision: 'requires-approval', channel: 'security-assessment' });
      }),
      runs,
    );
  });

  it('raising either count never gives a less strict outcome', () => {
    fc.assert(
      fc.property(validFlowContext, fc.nat(3_000_000), fc.nat(30_000), (c, dn, ds) => {
        const more = {
          ...c,
          exporter: {
            ...c.exporter,
            annualPiIndividualsExported: c.exporter.annualPiIndividualsExported + dn,
            annualSensitivePiIndividualsExported: c.exporter.annualSensitivePiIndividualsExported + ds,
          },
        };
        const moreN = {
          ...c,
          exporter: { ...c.exporter, annualPiIndividualsExported: more.exporter.annualPiIndividualsExported },
        };
        for (const p of paramSets) {
          const base = decide(c, p).decision;
          expect(compareStrictness(decide(more, p).decision, base)).toBeGreaterThanOrEqual(0);
          expect(compareStrictness(decide(moreN, p).decision, base)).toBeGreaterThanOrEqual(0);
        }
      }),
      runs,
    );
  });

  it('PI leaving the Mainland with allow-with-conditions always carries PIPL 39 and 55, and only then', () => {
    fc.assert(
      fc.property(validFlowContext, (c) => {
        for (const p of paramSets) {
          const d = decide(c, p);
          const ids = d.conditions.map((x) => x.id);
          const clause = d.decision === 'allow-with-conditions' && piLeavesMainland(c);
          expect(ids.includes('pipl-39-notice-consent') && ids.includes('pipl-55-pipia')).toBe(clause);
          expect(new Set(ids).size).toBe(ids.length);
        }
      }),
      runs,
    );
  });

  it('explanations are one sentence with counts formatted (no run of 4+ digits)', () => {
    fc.assert(
      fc.property(validFlowContext, (c) => {
        const e = decide(c).explanation;
        expect(e).toMatch(/\.$/);
        expect(e).not.toMatch(/\d{4}/);
      }),
      runs,
    );
  });
});

describe('decideInput over any input', () => {
  const decidedOrCoded = (input: unknown) => {
    try {
      const d = decideInput(input);
      expect(typeof d.decision).toBe('string');
    } catch (err) {
      expect(err).toBeInstanceOf(HetaoError);
      const code = (err as HetaoError).code;
      expect(Object.hasOwn(errorRegistry, code)).toBe(true);
      expect(code.startsWith('HETAO_POLICY_INPUT')).toBe(true);
    }
  };
  it('arbitrary JSON is decided or rejected with a coded HetaoError', () => {
    fc.assert(fc.property(fc.jsonValue(), decidedOrCoded), runs);
  });
  it('arbitrary JS values are decided or rejected with a coded HetaoError', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withDate: true }),
        decidedOrCoded,
      ),
      runs,
    );
  });
  it('valid contexts with one field broken are decided or rejected with a coded HetaoError naming a field', () => {
    fc.assert(
      fc.property(brokenFlowContext, (input) => {
        decidedOrCoded(input);
        try {
          decideInput(input);
        } catch (err) {
          expect((err as HetaoError).field).toMatch(/^(exporter|importer|data|options)(\.[A-Za-z0-9_]+)?$/);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});
