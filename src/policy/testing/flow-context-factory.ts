import type { FlowContext, FlowData, FlowExporter, FlowImporter, FlowOptions } from '../types.js';

export interface FlowContextPatch {
  readonly exporter?: Partial<FlowExporter>;
  readonly importer?: Partial<FlowImporter>;
  readonly data?: Partial<FlowData>;
  readonly options?: Partial<FlowOptions>;
}

/**
 * A valid FlowContext for tests: SZ -> HK, unassociated, general non-sensitive PI for analytics, n = 150,000,
 * s = 0, not CIIO, no zone, not listed; `patch` overrides any field.
 */
export function flowContext(patch: FlowContextPatch = {}): FlowContext {
  return {
    exporter: {
      jurisdiction: 'SZ',
      zone: null,
      isCIIO: false,
      annualPiIndividualsExported: 150_000,
      annualSensitivePiIndividualsExported: 0,
      ...patch.exporter,
    },
    importer: { jurisdiction: 'HK', associatedWithExporter: false, onwardTransferOutsideGba: false, ...patch.importer },
    data: {
      type: 'crm.records',
      containsPersonalInfo: true,
      sensitivePersonalInfo: false,
      classification: 'general',
      origin: 'local',
      onGeneralDataList: false,
      scenario: null,
      purpose: 'analytics',
      ...patch.data,
    },
    options: { gbaStandardContractElected: false, ...patch.options },
  };
}
