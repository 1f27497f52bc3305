import { formatCount } from './format-count.js';
import type { Condition } from './types.js';

/**
 * The obligations decisions attach, by stable id. Ids never change meaning (the ledger and clients key on them);
 * texts may be reworded. Frozen and shared by every decision.
 */
function condition(id: string, text: string): Condition {
  return Object.freeze({ id, text });
}

/** The volume-exemption watch, stating the exemption threshold a decision used (parameter exemptPiThreshold). */
export function volumeExemptionWatch(threshold: number): Condition {
  return condition(
    'p24-art5-4-volume-watch',
    `Keep this year's counts below the exemption (fewer than ${formatCount(threshold)} individuals, no sensitive personal information); beyond it a standard contract or certification is needed (P24 Art 5(4)).`,
  );
}

export const CONDITIONS = Object.freeze({
  piplNoticeConsent: condition(
    'pipl-39-notice-consent',
    "Tell the individuals the recipient's name and contact details, the purpose, method and categories of personal information and how to exercise their rights against the recipient, and obtain their separate consent (PIPL Art 39).",
  ),
  piplImpactAssessment: condition(
    'pipl-55-pipia',
    'Carry out a personal-information protection impact assessment before the transfer and keep the report for at least three years (PIPL Arts 55-56).',
  ),
  pdpoNotice: condition(
    'pdpo-dpp1-notice',
    'Tell the data subjects, on or before collection, the classes of persons to whom the data may be transferred (PDPO DPP1(3)).',
  ),
  pdpoConsentNewPurpose: condition(
    'pdpo-dpp3-consent',
    "Obtain the data subject's prescribed consent before the data is used for a new purpose (PDPO DPP3).",
  ),
  pdpoContract: condition(
    'pdpo-contractual-safeguards',
    "Bind the transferee by contract to protect the data as the PDPO would; the PCPD's recommended model contractual clauses are recommended.",
  ),
  gdlPilotFiling: condition(
    'gdl-pilot-filing',
    'File the transfer with the Qianhai pilot under the scenario-based general data list (QH-GDL).',
  ),
  gdlScenarioScope: condition(
    'gdl-scenario-scope',
    'Use the data only within the pilot scenario for which its type is listed, and only between the associated enterprises; stop if the type is suspended or revoked (QH-GDL).',
  ),
  gbaScNoticeConsent: condition(
    'gba-sc-notice-consent',
    'Tell the individuals about the transfer and obtain their consent as the GBA standard contract requires (GBA-SC).',
  ),
  gbaScImpactAssessment: condition(
    'gba-sc-impact-assessment',
    'Carry out the personal-information protection impact assessment the GBA standard contract requires before the transfer (GBA-SC).',
  ),
  gbaScFiling: condition(
    'gba-sc-filing',
    'Sign the GBA standard contract and file it within 10 working days of its effect with the Guangdong CAC (Mainland party) or the HK Digital Policy Office (Hong Kong party) (GBA-SC).',
  ),
  gbaScNoOnwardTransfer: condition(
    'gba-sc-no-onward-transfer',
    'Do not transfer the personal information onward to anyone outside the Greater Bay Area (GBA-SC).',
  ),
  reExportOnly: condition(
    'p24-art4-foreign-only',
    'Send back only personal information collected outside the Mainland, with no personal information collected in the Mainland added (P24 Art 4).',
  ),
  necessityOnly: condition(
    'p24-art5-necessity',
    'Transfer only the personal information strictly necessary for the stated purpose (P24 Art 5(1)-(3)).',
  ),
  volumeExemptionWatch: volumeExemptionWatch(100_000),
  standardContract: condition(
    'standard-contract-filing',
    'Sign the CAC standard contract for personal information export and file it with the provincial CAC within 10 working days of its effect (P24 Art 8).',
  ),
  certificationAlternative: condition(
    'certification-alternative',
    'Alternatively to the standard contract, obtain personal information protection certification (CERT, in force 2026-01-01).',
  ),
  securityAssessment: condition(
    'cac-security-assessment',
    'Apply through the provincial CAC for a data export security assessment and transfer nothing until it is passed (P24 Art 7).',
  ),
});

/** Appended whenever PI leaves the Mainland with allow-with-conditions (rulebook.md cross-cutting clause). */
export const PIPL_EXPORT_CONDITIONS: readonly Condition[] = Object.freeze([
  CONDITIONS.piplNoticeConsent,
  CONDITIONS.piplImpactAssessment,
]);
