import { describe, expect, it } from 'vitest';
import { decide, parsePolicyParameters } from './index.js';
import { flowContext as ctx } from './testing/flow-context-factory.js';
import type { Decision, Jurisdiction } from './types.js';

const ids = (d: Decision) => d.conditions.map((c) => c.id);
const PIPL = ['pipl-39-notice-consent', 'pipl-55-pipia'];
const _nonPi = { containsPersonalInfo: false, sensitivePersonalInfo: false } as const;
const lifted = parsePolicyParameters({ gbaContractLiftsVolumeCaps: true });

describe('volume boundaries (rules 10-13)', () => {
  // mainland-other -> HK is not a GBA flow: no rule 11.
  const volume = (n: number, s: number, jurisdiction: Jurisdiction = 'mainland-other') =>
    decide(
      ctx({
        exporter: { jurisdiction, annualPiIndividualsExported: n, annualSensitivePiIndividualsExported: s },
        data: { sensitivePersonalInfo: s > 0 },
      }),
    );
  it.each([
    [99_999, 0, 'R12', 'exempt'],
    [100_000, 0, 'R13', 'standard-contract'],
    [999_999, 0, 'R13', 'standard-contract'],
    [1_000_000, 0, 'R10', 'security-assessment'],
    [10, 1, 'R13', 'standard-contract'],
    [10, 9_999, 'R13', 'standard-contract'],
    [10, 10_000, 'R10', 'security-assessment'],
    [0, 1, 'R13', 'standard-contract'],
  ])('mainland-other -> HK, n=%i s=%i: %s %s', (n, s, ruleId, channel) => {
    expect(volume(n, s)).toMatchObject({ ruleId, channel });
  });
  it.each([
    [99_999, 0, 'R12', 'exempt'],
    [100_000, 0, 'R11', 'gba-standard-contract'],
    [999_999, 0, 'R11', 'gba-standard-contract'],
    [1_000_000, 0, 'R10', 'security-assessment'],
    [10, 1, 'R11', 'gba-standard-contract'],
    [10, 9_999, 'R11', 'gba-standard-contract'],
    [10, 10_000, 'R10', 'security-assessment'],
  ])('SZ -> HK (GBA), n=%i s=%i: %s %s', (n, s, ruleId, channel) => {
    expect(volume(n, s, 'SZ')).toMatchObject({ ruleId, channel });
  });
  it('GBA-mainland -> HK uses the GBA contract; with onward transfer outside the GBA it does not', () => {
    expect(volume(150_000, 0, 'GBA-mainland').ruleId).toBe('R11');
    const onward = ctx({ exporter: { jurisdiction: 'GBA-mainland' }, importer: { onwardTransferOutsideGba: true } });
    expect(decide(onward).ruleId).toBe('R13');
  });
  it('SZ -> MO or overseas is not a GBA flow', () => {
    for (const jurisdiction of ['MO', 'overseas'] as const)
      expect(decide(ctx({ importer: { jurisdiction } })).ruleId).toBe('R13');
  });
  it('explanations carry the counts and thresholds with thousands separators', () => {
    expect(volume(1_000_000, 0).explanation).toBe(
      "Requires a security assessment: 1,000,000 individuals' personal information is at or above the 1,000,000 threshold of P24 Art 7(2).",
    );
    expect(volume(10, 10_000).explanation).toBe(
      "Requires a security assessment: 10,000 individuals' sensitive personal information is at or above the 10,000 threshold of P24 Art 7(2).",
    );
    expect(volume(1_234_567, 12_345).explanation).toContain('1,234,567');
    expect(volume(1_234_567, 12_345).explanation).toContain('12,345');
    expect(volume(99_999, 0).explanation).toBe(
      "Allowed with conditions, exempt by volume: 99,999 individuals' personal information is below the 100,000 threshold and no sensitive personal information was exported this year (P24 Art 5(4)).",
    );
    expect(volume(150_000, 0).explanation).toContain(
      "150,000 individuals' personal information is at or above 100,000 and below 1,000,000",
    );
    expect(volume(150_000, 0, 'SZ').explanation).toContain('150,000');
  });
  it('contract and exempt decisions carry their own conditions and the PIPL 39/55 conditions', () => {
    expect(ids(volume(150_000, 0))).toEqual(['standard-contract-filing', 'certification-alternative', ...PIPL]);
    expect(ids(volume(150_000, 0, 'SZ'))).toEqual(['gba-sc-filing', 'gba-sc-no-onward-transfer', ...PIPL]);
    expect(ids(volume(99_999, 0))).toEqual(['p24-art5-4-volume-watch', ...PIPL]);
    expect(volume(150_000, 0).sources).toEqual(['P24', 'CERT', 'PIPL']);
  });
});

describe('parameter gbaContractLiftsVolumeCaps', () => {
  const big = ctx({ exporter: { annualPiIndividualsExported: 2_000_000 } });
  it('default false: rule 10 decides big GBA flows', () => {
    expect(decide(big).ruleId).toBe('R10');
  });
  it('true: rule 11 is tried first for GBA flows', () => {
    const d = decide(big, lifted);
    expect(d).toMatchObject({
      ruleId: 'R11',
      channel: 'gba-standard-contract',
      parameters: { gbaContractLiftsVolumeCaps: true },
    });
    expect(d.explanation).toContain('gbaContractLiftsVolumeCaps');
    // No upper bound to state: the caps are lifted.
    expect(d.explanation).toContain('is at or above 100,000 (parameter');
    expect(d.explanation).not.toMatch(/Infinity|below/);
  });
  it('true: non-GBA and onward-transfer flows still hit rule 10', () => {
    expect(decide(ctx({ ...big, exporter: { ...big.exporter, jurisdiction: 'mainland-other' } }), lifted).ruleId).toBe(
      'R10',
    );
    expect(decide(ctx({ ...big, importer: { ...big.importer, onwardTransferOutsideGba: true } }), lifted).ruleId).toBe(
      'R10',
    );
  });
  it('true: volume-exempt GBA flows stay exempt', () => {
    expect(decide(ctx({ exporter: { annualPiIndividualsExported: 10 } }), lifted).ruleId).toBe('R12');
  });
});

describe('parameter exemptPiThreshold in the conditions', () => {
  it('the volume-exemption watch states the threshold the decision used', () => {
    const text = (d: Decision) => d.conditions.find((c) => c.id === 'p24-art5-4-volume-watch')?.text;
    const n150k = ctx({ exporter: { annualPiIndividualsExported: 150_000 } });
    const raised = decide(n150k, parsePolicyParameters({ exemptPiThreshold: 200_000 }));
    expect(raised.ruleId).toBe('R12');
    expect(text(raised)).toContain('fewer than 200,000 individuals');
    expect(ids(raised)).toEqual(['p24-art5-4-volume-watch', ...PIPL]);
    const byDefault = decide(ctx({ exporter: { annualPiIndividualsExported: 50_000 } }));
    expect(text(byDefault)).toContain('fewer than 100,000 individuals');
  });
});
