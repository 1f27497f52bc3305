import { CONDITIONS } from './conditions.js';
import { formatCount } from './format-count.js';
import { defineRule } from './rule.js';
import type { FlowContext, PolicyParameters } from './types.js';

/** Rules 7-13 of rulebook.md: personal information leaving by exemption, contract, certification or assessment. */

/** P24 Art 5(1)-(3) purposes, as `data.purpose` names them. */
export const NECESSITY_PURPOSES: Readonly<Record<string, string>> = Object.freeze({
  'contract-necessity': 'performing a contract the individual is party to',
  hr: 'cross-border human-resources management under lawful labour rules',
  emergency: 'protecting life, health or property in an emergency',
});

const n = (ctx: FlowContext) => ctx.exporter.annualPiIndividualsExported;
const s = (ctx: FlowContext) => ctx.exporter.annualSensitivePiIndividualsExported;

export const reExportRule = defineRule({
  id: 'R7',
  title: 'Re-export of personal information collected abroad',
  sources: ['P24'],
  outcome: { decision: 'allow-with-conditions', channel: 'exempt' },
  conditions: [CONDITIONS.reExportOnly],
  when: (ctx) => ctx.data.origin === 'abroad',
  explain: () =>
    'Allowed with conditions, exempt: personal information collected outside the Mainland is sent back with nothing added (P24 Art 4).',
});

export const necessityRule = defineRule({
  id: 'R8',
  title: 'Necessity exemptions: contract, HR, emergency',
  sources: ['P24'],
  outcome: { decision: 'allow-with-conditions', channel: 'exempt' },
  conditions: [CONDITIONS.necessityOnly],
  when: (ctx) => Object.hasOwn(NECESSITY_PURPOSES, ctx.data.purpose),
  explain: (ctx) =>
    'Allowed with conditions, exempt: the purpose (' +
    NECESSITY_PURPOSES[ctx.data.purpose] +
    ') is a necessity exemption of P24 Art 5(1)-(3), whatever the volume.',
});

export const ciioRule = defineRule({
  id: 'R9',
  title: 'Critical information infrastructure operator exporting personal information',
  sources: ['P24', 'CSL', 'PIPL'],
  outcome: { decision: 'requires-approval', channel: 'security-assessment' },
  conditions: [CONDITIONS.securityAssessment],
  when: (ctx) => ctx.exporter.isCIIO,
  explain: () =>
    'Requires a security assessment: a critical information infrastructure operator exports personal information only after CAC approval (P24 Art 7(1); CSL Art 37; PIPL Art 40).',
});

export const volumeAssessmentRule = defineRule({
  id: 'R10',
  title: 'Security-assessment thresholds: n >= 1,000,000 or s >= 10,000',
  sources: ['P24'],
  outcome: { decision: 'requires-approval', channel: 'security-assessment' },
  conditions: [CONDITIONS.securityAssessment],
  when: (ctx, p) => n(ctx) >= p.assessmentPiThreshold || s(ctx) >= p.assessmentSensitiveThreshold,
  explain: (ctx, p) => {
    const overN = n(ctx) >= p.assessmentPiThreshold;
    const overS = s(ctx) >= p.assessmentSensitiveThreshold;
    return (
      'Requires a security assessment: ' +
      (overN
        ? formatCount(n(ctx)) +
          " individuals' personal information is at or above the " +
          formatCount(p.assessmentPiThreshold) +
          (overS ? ' threshold and ' : ' threshold')
        : '') +
      (overS
        ? formatCount(s(ctx)) +
          " individuals' sensitive personal information is at or above the " +
          formatCount(p.assessmentSensitiveThreshold) +
          ' threshold'
        : '') +
      ' of P24 Art 7(2).'
    );
  },
});

/** Why a flow is past the volume exemption (n at or above it, or any sensitive PI); used by rules 11 and 13. */
function pastExemption(ctx: FlowContext, p: PolicyParameters, upperN: number, upperS: number): string {
  const byN = n(ctx) >= p.exemptPiThreshold;
  const byS = s(ctx) >= 1;
  const partN = byN
    ? formatCount(n(ctx)) +
      " individuals' personal information is at or above " +
      formatCount(p.exemptPiThreshold) +
      (Number.isFinite(upperN) && n(ctx) < upperN ? ' and below ' + formatCount(upperN) : '')
    : '';
  const partS = byS
    ? formatCount(s(ctx)) +
      " individuals' sensitive personal information is at least 1" +
      (Number.isFinite(upperS) && s(ctx) < upperS ? ' and below ' + formatCount(upperS) : '')
    : '';
  return byN && byS ? partN + ', and ' + partS : partN + partS;
}

export const gbaContractRule = defineRule({
  id: 'R11',
  title: 'GBA standard contract: GBA Mainland exporter to Hong Kong, past the volume exemption',
  sources: ['GBA-SC'],
  outcome: { decision: 'allow-with-conditions', channel: 'gba-standard-contract' },
  conditions: [CONDITIONS.gbaScFiling, CONDITIONS.gbaScNoOnwardTransfer],
  when: (ctx, p) =>
    (ctx.exporter.jurisdiction === 'SZ' || ctx.exporter.jurisdiction === 'GBA-mainland') &&
    ctx.importer.jurisdiction === 'HK' &&
    !ctx.importer.onwardTransferOutsideGba &&
    (n(ctx) >= p.exemptPiThreshold || s(ctx) >= 1),
  explain: (ctx, p) =>
    'Allowed with conditions under the GBA standard contract: ' +
    ctx.exporter.jurisdiction +
    ' to HK with no onward transfer outside the GBA, and ' +
    pastExemption(
      ctx,
      p,
      p.gbaContractLiftsVolumeCaps ? Number.POSITIVE_INFINITY : p.assessmentPiThreshold,
      p.gbaContractLiftsVolumeCaps ? Number.POSITIVE_INFINITY : p.assessmentSensitiveThreshold,
    ) +
    (p.gbaContractLiftsVolumeCaps && (n(ctx) >= p.assessmentPiThreshold || s(ctx) >= p.assessmentSensitiveThreshold)
      ? ' (parameter gbaContractLiftsVolumeCaps lifts the P24 Art 7(2) assessment thresholds for GBA flows)'
      : '') +
    ' (GBA-SC).',
});

export const volumeExemptRule = defineRule({
  id: 'R12',
  title: 'Exempt by volume: n < 100,000 and s = 0',
  sources: ['P24'],
  outcome: { decision: 'allow-with-conditions', channel: 'exempt' },
  conditions: [CONDITIONS.volumeExemptionWatch],
  when: (ctx, p) => n(ctx) < p.exemptPiThreshold && s(ctx) === 0,
  explain: (ctx, p) =>
    'Allowed with conditions, exempt by volume: ' +
    formatCount(n(ctx)) +
    " individuals' personal information is below the " +
    formatCount(p.exemptPiThreshold) +
    ' threshold and no sensitive personal information was exported this year (P24 Art 5(4)).',
});

export const standardContractRule = defineRule({
  id: 'R13',
  title: 'Standard contract or certification: 100,000 <= n < 1,000,000 or 1 <= s < 10,000',
  sources: ['P24', 'CERT'],
  outcome: { decision: 'allow-with-conditions', channel: 'standard-contract' },
  conditions: [CONDITIONS.standardContract, CONDITIONS.certificationAlternative],
  when: (ctx, p) =>
    (n(ctx) >= p.exemptPiThreshold && n(ctx) < p.assessmentPiThreshold) ||
    (s(ctx) >= 1 && s(ctx) < p.assessmentSensitiveThreshold),
  explain: (ctx, p) =>
    'Allowed with conditions under a standard contract, or certification instead: ' +
    pastExemption(ctx, p, p.assessmentPiThreshold, p.assessmentSensitiveThreshold) +
    ' (P24 Art 8; CERT).',
});
