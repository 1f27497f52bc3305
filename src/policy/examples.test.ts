import { describe, expect, it } from 'vitest';
import { decideInput } from './index.js';

/** rulebook.md "Examples", row by row, as wire JSON (defaults left out) through decideInput. */
function wire(e: Record<string, unknown>, i: Record<string, unknown>, d: Record<string, unknown>) {
  return {
    exporter: { isCIIO: false, annualPiIndividualsExported: 0, annualSensitivePiIndividualsExported: 0, ...e },
    importer: { associatedWithExporter: false, ...i },
    data: { sensitivePersonalInfo: false, classification: 'general', purpose: 'operations', ...d },
  };
}
const noPi = { containsPersonalInfo: false };
const pi = { containsPersonalInfo: true };

const rows: [string, unknown, string, string, string][] = [
  [
    'SZ, n=0 -> HK unassociated, equipment telemetry, no PI, general',
    wire({ jurisdiction: 'SZ' }, { jurisdiction: 'HK' }, { type: 'equipment.telemetry', ...noPi }),
    'allow',
    'exempt',
    'R6',
  ],
  [
    'SZ zone qianhai -> HK associated, shipment status, listed, no PI',
    wire(
      { jurisdiction: 'SZ', zone: 'qianhai' },
      { jurisdiction: 'HK', associatedWithExporter: true },
      { type: 'logistics.shipment-status', onGeneralDataList: true, scenario: 'cross-border-logistics', ...noPi },
    ),
    'allow-with-conditions',
    'general-data-list',
    'R5',
  ],
  [
    'SZ -> HK associated, port statistics, important, listed',
    wire(
      { jurisdiction: 'SZ' },
      { jurisdiction: 'HK', associatedWithExporter: true },
      { type: 'port.statistics', classification: 'important', onGeneralDataList: true, ...noPi },
    ),
    'requires-approval',
    'security-assessment',
    'R4',
  ],
  [
    'mainland-other, n=150,000 -> HK, CRM records, PI',
    wire(
      { jurisdiction: 'mainland-other', annualPiIndividualsExported: 150_000 },
      { jurisdiction: 'HK' },
      { type: 'crm.records', ...pi },
    ),
    'allow-with-conditions',
    'standard-contract',
    'R13',
  ],
  [
    'SZ, n=150,000 -> HK, CRM records, PI',
    wire(
      { jurisdiction: 'SZ', annualPiIndividualsExported: 150_000 },
      { jurisdiction: 'HK' },
      { type: 'crm.records', ...pi },
    ),
    'allow-with-conditions',
    'gba-standard-contract',
    'R11',
  ],
  [
    'SZ CIIO, n=10 -> HK, CRM records, PI',
    wire(
      { jurisdiction: 'SZ', isCIIO: true, annualPiIndividualsExported: 10 },
      { jurisdiction: 'HK' },
      { type: 'crm.records', ...pi },
    ),
    'requires-approval',
    'security-assessment',
    'R9',
  ],
  [
    'HK, n=5,000 -> SZ, chat logs, PI',
    wire(
      { jurisdiction: 'HK', annualPiIndividualsExported: 5_000 },
      { jurisdiction: 'SZ' },
      { type: 'chat.logs', ...pi },
    ),
    'allow-with-conditions',
    'hk-pdpo',
    'R2c',
  ],
];

describe('rulebook.md Examples', () => {
  it.each(rows)('%s', (_, input, decision, channel, ruleId) => {
    expect(decideInput(input)).toMatchObject({ decision, channel, ruleId });
  });
  it('the PI rows leaving the Mainland carry PIPL 39 and 55', () => {
    for (const row of [rows[3], rows[4]]) {
      const ids = decideInput(row?.[1]).conditions.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining(['pipl-39-notice-consent', 'pipl-55-pipia']));
    }
  });
  it('decisions serialise to the JSON rulebook.md "Output" lists', () => {
    const json = JSON.parse(JSON.stringify(decideInput(rows[4]?.[1])));
    expect(Object.keys(json).sort()).toEqual(
      ['channel', 'conditions', 'decision', 'explanation', 'parameters', 'ruleId', 'rulebookVersion', 'sources'].sort(),
    );
  });
});
