import type { FlowContext } from '../api/types';

/** The form's starting question: rulebook.md's example of SZ CRM records to Hong Kong (150,000 individuals). */
export const DEFAULT_FLOW: FlowContext = {
  exporter: {
    jurisdiction: 'SZ',
    zone: null,
    isCIIO: false,
    annualPiIndividualsExported: 150000,
    annualSensitivePiIndividualsExported: 0,
  },
  importer: { jurisdiction: 'HK', associatedWithExporter: false, onwardTransferOutsideGba: false },
  data: {
    type: 'crm.customer-records',
    containsPersonalInfo: true,
    sensitivePersonalInfo: false,
    classification: 'general',
    origin: 'local',
    onGeneralDataList: false,
    scenario: null,
    purpose: 'analytics',
  },
  options: { gbaStandardContractElected: false },
};

export const JURISDICTIONS = ['SZ', 'GBA-mainland', 'mainland-other', 'HK', 'MO', 'overseas'] as const;
export const CLASSIFICATIONS = ['general', 'important', 'core'] as const;
/** Purposes the rulebook names (P24 Art 5(1)-(3)) plus common others; the field also takes free text. */
export const PURPOSES = ['analytics', 'operations', 'contract-necessity', 'hr', 'emergency'] as const;
