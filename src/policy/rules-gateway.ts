import { CONDITIONS } from './conditions.js';
import { isGba, isMainland } from './jurisdictions.js';
import { defineRule } from './rule.js';

/** Rules 1-6 of rulebook.md: who is exporting, data tier, the general data list, and non-PI data. */

export const domesticRule = defineRule({
  id: 'R1',
  title: 'Domestic: exporter and importer both in the Mainland',
  sources: ['PIPL'],
  outcome: { decision: 'allow', channel: 'domestic' },
  conditions: [],
  when: (ctx) => isMainland(ctx.exporter.jurisdiction) && isMainland(ctx.importer.jurisdiction),
  explain: (ctx) =>
    'Allowed as a domestic flow: exporter (' +
    ctx.exporter.jurisdiction +
    ') and importer (' +
    ctx.importer.jurisdiction +
    ') are both in the Mainland, so no export mechanism applies.',
});

export const hkGbaContractRule = defineRule({
  id: 'R2a',
  title: 'Hong Kong exporter, GBA standard contract elected, PI to a GBA importer',
  sources: ['GBA-SC', 'PDPO'],
  outcome: { decision: 'allow-with-conditions', channel: 'gba-standard-contract' },
  conditions: [
    CONDITIONS.gbaScNoticeConsent,
    CONDITIONS.gbaScImpactAssessment,
    CONDITIONS.gbaScFiling,
    CONDITIONS.gbaScNoOnwardTransfer,
  ],
  when: (ctx) =>
    ctx.exporter.jurisdiction === 'HK' &&
    ctx.options.gbaStandardContractElected &&
    isGba(ctx.importer.jurisdiction) &&
    // The GBA standard contract forbids onward transfer outside the GBA: a flow that needs it cannot use it.
    !ctx.importer.onwardTransferOutsideGba &&
    ctx.data.containsPersonalInfo,
  explain: (ctx) =>
    'Allowed with conditions under the GBA standard contract: the Hong Kong exporter elected it for personal information sent to ' +
    ctx.importer.jurisdiction +
    ', inside the Greater Bay Area, with no onward transfer outside it (GBA-SC).',
});

export const hkNoPiRule = defineRule({
  id: 'R2b',
  title: 'Hong Kong exporter, no personal information',
  sources: ['PDPO'],
  outcome: { decision: 'allow', channel: 'hk-pdpo' },
  conditions: [],
  when: (ctx) => ctx.exporter.jurisdiction === 'HK' && !ctx.data.containsPersonalInfo,
  explain: (ctx) =>
    'Allowed under Hong Kong law: data without personal information sent from Hong Kong to ' +
    ctx.importer.jurisdiction +
    ' needs no transfer mechanism (PDPO s 33 is not in force).',
});

export const hkPiRule = defineRule({
  id: 'R2c',
  title: 'Hong Kong exporter, personal information',
  sources: ['PDPO'],
  outcome: { decision: 'allow-with-conditions', channel: 'hk-pdpo' },
  conditions: [CONDITIONS.pdpoNotice, CONDITIONS.pdpoConsentNewPurpose, CONDITIONS.pdpoContract],
  when: (ctx) => ctx.exporter.jurisdiction === 'HK',
  explain: (ctx) =>
    'Allowed with conditions under the PDPO: personal information sent from Hong Kong to ' +
    ctx.importer.jurisdiction +
    ' needs notice of transferee classes, consent for any new purpose and contractual safeguards (PDPO s 33 is not in force).',
});

export const coreDataRule = defineRule({
  id: 'R3',
  title: 'Core data',
  sources: ['DSL'],
  outcome: { decision: 'deny', channel: 'prohibited' },
  conditions: [],
  when: (ctx) => ctx.data.classification === 'core',
  explain: () => 'Denied: core data has no export route; the rulebook takes the conservative reading of DSL Art 21.',
});

export const importantDataRule = defineRule({
  id: 'R4',
  title: 'Important data',
  sources: ['P24', 'DSL'],
  outcome: { decision: 'requires-approval', channel: 'security-assessment' },
  conditions: [CONDITIONS.securityAssessment],
  when: (ctx) => ctx.data.classification === 'important',
  explain: () =>
    'Requires a security assessment: important data is exported only after CAC approval, and no exemption, general data list or GBA standard contract covers it (P24 Arts 2, 7).',
});

export const generalDataListRule = defineRule({
  id: 'R5',
  title: 'General data list: listed non-PI data to an associated Hong Kong enterprise',
  sources: ['QH-GDL'],
  outcome: { decision: 'allow-with-conditions', channel: 'general-data-list' },
  conditions: [CONDITIONS.gdlPilotFiling, CONDITIONS.gdlScenarioScope],
  when: (ctx, params) =>
    ctx.exporter.zone !== null &&
    params.generalDataListZones.includes(ctx.exporter.zone) &&
    ctx.importer.jurisdiction === 'HK' &&
    ctx.importer.associatedWithExporter &&
    ctx.data.onGeneralDataList &&
    !ctx.data.containsPersonalInfo &&
    !ctx.exporter.isCIIO,
  explain: (ctx) =>
    'Allowed with conditions under the general data list: ' +
    ctx.data.type +
    (ctx.data.scenario === null ? ' is listed' : ' is listed for scenario ' + ctx.data.scenario) +
    ', carries no personal information and goes from a ' +
    ctx.exporter.zone +
    ' enterprise to its associated Hong Kong enterprise (QH-GDL).',
});

export const noPersonalInfoRule = defineRule({
  id: 'R6',
  title: 'No personal information',
  sources: ['P24'],
  outcome: { decision: 'allow', channel: 'exempt' },
  conditions: [],
  when: (ctx) => !ctx.data.containsPersonalInfo,
  explain: () => 'Allowed, exempt: general data without personal information needs no export mechanism (P24 Art 3).',
});
