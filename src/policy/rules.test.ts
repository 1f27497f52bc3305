import { describe, expect, it } from 'vitest';
import { decide, defaultPolicyParameters, parsePolicyParameters, RULEBOOK_VERSION } from './index.js';
import { flowContext as ctx } from './testing/flow-context-factory.js';
import type { Decision, Jurisdiction } from './types.js';

const ids = (d: Decision) => d.conditions.map((c) => c.id);
const PIPL = ['pipl-39-notice-consent', 'pipl-55-pipia'];
const nonPi = { containsPersonalInfo: false, sensitivePersonalInfo: false } as const;
const _lifted = parsePolicyParameters({ gbaContractLiftsVolumeCaps: true });

describe('rule 1, domestic', () => {
  it.each<[Jurisdiction, Jurisdiction]>([
    ['SZ', 'GBA-mainland'],
    ['mainland-other', 'SZ'],
    ['GBA-mainland', 'mainland-other'],
  ])('%s -> %s is allowed, domestic, whatever the data', (e, i) => {
    const d = decide(
      ctx({ exporter: { jurisdiction: e }, importer: { jurisdiction: i }, data: { classification: 'core' } }),
    );
    expect(d).toMatchObject({ decision: 'allow', channel: 'domestic', ruleId: 'R1', conditions: [] });
    expect(d.explanation).toContain('both in the Mainland');
  });
});

describe('rule 2, Hong Kong exporter', () => {
  const hk = { jurisdiction: 'HK', annualPiIndividualsExported: 5_000 } as const;
  it('GBA-SC elected, PI, importer in the GBA: allow-with-conditions, gba-standard-contract', () => {
    for (const importer of ['SZ', 'GBA-mainland', 'HK'] as const) {
      const d = decide(
        ctx({ exporter: hk, importer: { jurisdiction: importer }, options: { gbaStandardContractElected: true } }),
      );
      expect(d).toMatchObject({ decision: 'allow-with-conditions', channel: 'gba-standard-contract', ruleId: 'R2a' });
      expect(ids(d)).toContain('gba-sc-filing');
      expect(ids(d)).not.toContain('pipl-39-notice-consent');
    }
  });
  it('GBA-SC elected but importer outside the GBA falls to the PDPO', () => {
    const d = decide(
      ctx({
        exporter: hk,
        importer: { jurisdiction: 'mainland-other' },
        options: { gbaStandardContractElected: true },
      }),
    );
    expect(d).toMatchObject({ decision: 'allow-with-conditions', channel: 'hk-pdpo', ruleId: 'R2c' });
  });
  it('GBA-SC elected but onward transfer outside the GBA, which the contract forbids, falls to the PDPO', () => {
    const d = decide(
      ctx({
        exporter: hk,
        importer: { jurisdiction: 'SZ', onwardTransferOutsideGba: true },
        options: { gbaStandardContractElected: true },
      }),
    );
    expect(d).toMatchObject({ decision: 'allow-with-conditions', channel: 'hk-pdpo', ruleId: 'R2c' });
    expect(ids(d)).not.toContain('gba-sc-no-onward-transfer');
  });
  it('no PI: allow, hk-pdpo, even if GBA-SC elected', () => {
    const d = decide(
      ctx({
        exporter: hk,
        importer: { jurisdiction: 'SZ' },
        data: nonPi,
        options: { gbaStandardContractElected: true },
      }),
    );
    expect(d).toMatchObject({ decision: 'allow', channel: 'hk-pdpo', ruleId: 'R2b', conditions: [] });
  });
  it('PI without GBA-SC: allow-with-conditions, hk-pdpo with DPP1(3), DPP3 and contract conditions', () => {
    const d = decide(ctx({ exporter: hk, importer: { jurisdiction: 'overseas' } }));
    expect(d).toMatchObject({
      decision: 'allow-with-conditions',
      channel: 'hk-pdpo',
      ruleId: 'R2c',
      sources: ['PDPO'],
    });
    expect(ids(d)).toEqual(['pdpo-dpp1-notice', 'pdpo-dpp3-consent', 'pdpo-contractual-safeguards']);
  });
});

describe('rules 3 and 4, data tiers', () => {
  it('core data is denied, listed or not, associated or not', () => {
    for (const onGeneralDataList of [true, false])
      for (const associatedWithExporter of [true, false]) {
        const d = decide(
          ctx({
            exporter: { zone: 'qianhai' },
            importer: { associatedWithExporter },
            data: { ...nonPi, classification: 'core', onGeneralDataList },
          }),
        );
        expect(d).toMatchObject({ decision: 'deny', channel: 'prohibited', ruleId: 'R3', sources: ['DSL'] });
      }
  });
  it('important data requires a security assessment even when listed, associated, in qianhai', () => {
    const d = decide(
      ctx({
        exporter: { zone: 'qianhai' },
        importer: { associatedWithExporter: true },
        data: { ...nonPi, classification: 'important', onGeneralDataList: true },
      }),
    );
    expect(d).toMatchObject({ decision: 'requires-approval', channel: 'security-assessment', ruleId: 'R4' });
    expect(ids(d)).toEqual(['cac-security-assessment']);
  });
  it('core data from MO or overseas exporters is denied too', () => {
    expect(decide(ctx({ exporter: { jurisdiction: 'MO' }, data: { classification: 'core' } })).ruleId).toBe('R3');
  });
});

describe('rule 5, general data list', () => {
  const listed = ctx({
    exporter: { zone: 'qianhai' },
    importer: { associatedWithExporter: true },
    data: { ...nonPi, onGeneralDataList: true, scenario: 'cross-border-logistics', type: 'logistics.shipment-status' },
  });
  it('listed, associated, qianhai, HK, no PI, not CIIO: allow-with-conditions, general-data-list', () => {
    const d = decide(listed);
    expect(d).toMatchObject({
      decision: 'allow-with-conditions',
      channel: 'general-data-list',
      ruleId: 'R5',
      sources: ['QH-GDL'],
    });
    expect(ids(d)).toEqual(['gdl-pilot-filing', 'gdl-scenario-scope']);
    expect(d.explanation).toContain('logistics.shipment-status is listed for scenario cross-border-logistics');
  });
  it.each([
    ['unlisted', { data: { onGeneralDataList: false } }],
    ['unassociated', { importer: { associatedWithExporter: false } }],
    ['zone hetao-sz not in the parameter', { exporter: { zone: 'hetao-sz' } }],
    ['no zone', { exporter: { zone: null } }],
    ['CIIO', { exporter: { isCIIO: true } }],
    ['importer MO', { importer: { jurisdiction: 'MO' } }],
  ] as const)('%s: falls to rule 6 (allow, exempt)', (_, patch) => {
    const p = patch as Parameters<typeof ctx>[0] & object;
    const c = ctx({
      exporter: { ...listed.exporter, ...p.exporter },
      importer: { ...listed.importer, ...p.importer },
      data: { ...listed.data, ...p.data },
    });
    expect(decide(c)).toMatchObject({ decision: 'allow', channel: 'exempt', ruleId: 'R6' });
  });
  it('generalDataListZones lets hetao-sz exporters use the list', () => {
    const params = parsePolicyParameters({ generalDataListZones: ['qianhai', 'hetao-sz'] });
    const c = ctx({ ...listed, exporter: { ...listed.exporter, zone: 'hetao-sz' } });
    expect(decide(c, params).ruleId).toBe('R5');
  });
  it('listed data WITH PI falls through to the PI rules', () => {
    const c = ctx({ ...listed, data: { ...listed.data, containsPersonalInfo: true } });
    expect(decide(c)).toMatchObject({ ruleId: 'R11', channel: 'gba-standard-contract' });
  });
});

describe('rule 6, no personal information', () => {
  it('general non-PI data: allow, exempt, CIIO or not, any volume', () => {
    for (const isCIIO of [true, false]) {
      const d = decide(ctx({ exporter: { isCIIO, annualPiIndividualsExported: 5_000_000 }, data: nonPi }));
      expect(d).toMatchObject({ decision: 'allow', channel: 'exempt', ruleId: 'R6', conditions: [] });
    }
  });
});

describe('rules 7 and 8, exemptions that ignore volume', () => {
  it('origin abroad: allow-with-conditions, exempt, with the PIPL conditions', () => {
    const d = decide(ctx({ exporter: { annualPiIndividualsExported: 3_000_000 }, data: { origin: 'abroad' } }));
    expect(d).toMatchObject({ decision: 'allow-with-conditions', channel: 'exempt', ruleId: 'R7' });
    expect(ids(d)).toEqual(['p24-art4-foreign-only', ...PIPL]);
  });
  it.each(['contract-necessity', 'hr', 'emergency'])(
    'purpose %s: exempt, even for a CIIO above the thresholds',
    (purpose) => {
      const d = decide(
        ctx({
          exporter: {
            isCIIO: true,
            annualPiIndividualsExported: 2_000_000,
            annualSensitivePiIndividualsExported: 20_000,
          },
          data: { purpose, sensitivePersonalInfo: true },
        }),
      );
      expect(d).toMatchObject({ decision: 'allow-with-conditions', channel: 'exempt', ruleId: 'R8' });
      expect(ids(d)).toEqual(['p24-art5-necessity', ...PIPL]);
    },
  );
  it('another purpose is not exempt', () => {
    expect(decide(ctx({ data: { purpose: 'marketing' } })).ruleId).not.toBe('R8');
  });
});

describe('rule 9, CIIO', () => {
  it('CIIO with PI requires a security assessment at any volume', () => {
    const d = decide(ctx({ exporter: { isCIIO: true, annualPiIndividualsExported: 1 } }));
    expect(d).toMatchObject({ decision: 'requires-approval', channel: 'security-assessment', ruleId: 'R9' });
  });
});

describe('every decision', () => {
  it('names the rulebook version and the parameters in force', () => {
    const d = decide(ctx());
    expect(d.rulebookVersion).toBe(RULEBOOK_VERSION);
    expect(RULEBOOK_VERSION).toBe('2026.1');
    expect(d.parameters).toBe(defaultPolicyParameters);
    expect(d.parameters).toEqual({
      gbaContractLiftsVolumeCaps: false,
      generalDataListZones: ['qianhai'],
      assessmentPiThreshold: 1_000_000,
      assessmentSensitiveThreshold: 10_000,
      exemptPiThreshold: 100_000,
    });
  });
  it('thresholds are parameters', () => {
    const params = parsePolicyParameters({ assessmentPiThreshold: 500_000 });
    const d = decide(
      ctx({ exporter: { jurisdiction: 'mainland-other', annualPiIndividualsExported: 600_000 } }),
      params,
    );
    expect(d.ruleId).toBe('R10');
    expect(d.explanation).toContain('the 500,000 threshold');
  });
  it('has no PIPL conditions when PI does not leave the Mainland', () => {
    const d = decide(ctx({ exporter: { jurisdiction: 'overseas' }, importer: { jurisdiction: 'HK' } }));
    expect(d.decision).toBe('allow-with-conditions');
    expect(ids(d)).not.toContain('pipl-39-notice-consent');
  });
});
