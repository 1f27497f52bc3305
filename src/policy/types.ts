/**
 * The flow policy engine's input and output, exactly as ../shared/rulebook.md ("Input", "Output") defines them.
 * Pure data: the engine receives the registry's facts resolved into a FlowContext and returns a Decision.
 */

export const JURISDICTIONS = ['SZ', 'GBA-mainland', 'mainland-other', 'HK', 'MO', 'overseas'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const ZONES = ['qianhai', 'hetao-sz'] as const;
export type Zone = (typeof ZONES)[number];

export const CLASSIFICATIONS = ['general', 'important', 'core'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const ORIGINS = ['local', 'abroad'] as const;
export type Origin = (typeof ORIGINS)[number];

export interface FlowExporter {
  readonly jurisdiction: Jurisdiction;
  readonly zone: Zone | null;
  readonly isCIIO: boolean;
  /** Non-sensitive PI: individuals exported since 1 January, this flow included. */
  readonly annualPiIndividualsExported: number;
  /** Sensitive PI: individuals exported since 1 January, this flow included. */
  readonly annualSensitivePiIndividualsExported: number;
}

export interface FlowImporter {
  readonly jurisdiction: Jurisdiction;
  readonly associatedWithExporter: boolean;
  readonly onwardTransferOutsideGba: boolean;
}

export interface FlowData {
  /** Dotted data-type name, e.g. `logistics.shipment-status`. */
  readonly type: string;
  readonly containsPersonalInfo: boolean;
  readonly sensitivePersonalInfo: boolean;
  readonly classification: Classification;
  readonly origin: Origin;
  /** The type is on the general data list in force for `scenario`. */
  readonly onGeneralDataList: boolean;
  readonly scenario: string | null;
  readonly purpose: string;
}

export interface FlowOptions {
  /** The parties chose the GBA standard contract voluntarily. */
  readonly gbaStandardContractElected: boolean;
}

export interface FlowContext {
  readonly exporter: FlowExporter;
  readonly importer: FlowImporter;
  readonly data: FlowData;
  readonly options: FlowOptions;
}

export const DECISIONS = ['allow', 'allow-with-conditions', 'requires-approval', 'deny'] as const;
export type DecisionOutcome = (typeof DECISIONS)[number];

export const CHANNELS = [
  'exempt',
  'general-data-list',
  'gba-standard-contract',
  'standard-contract',
  'certification',
  'security-assessment',
  'prohibited',
  'hk-pdpo',
  'domestic',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** Source keys of rulebook.md "Sources". */
export const SOURCES = ['P24', 'PIPL', 'CSL', 'DSL', 'CERT', 'GBA-SC', 'PDPO', 'QH-GDL'] as const;
export type SourceKey = (typeof SOURCES)[number];

export interface Condition {
  /** Stable id, e.g. `pipl-39-notice-consent`. */
  readonly id: string;
  readonly text: string;
}

/** Named parameters with defaults (rulebook.md); every decision lists the values it used. */
export interface PolicyParameters {
  readonly gbaContractLiftsVolumeCaps: boolean;
  readonly generalDataListZones: readonly Zone[];
  /** n at or above which a security assessment is required (P24 Art 7(2)). */
  readonly assessmentPiThreshold: number;
  /** s at or above which a security assessment is required (P24 Art 7(2)). */
  readonly assessmentSensitiveThreshold: number;
  /** n at or above which the volume exemption ends (P24 Art 5(4)). */
  readonly exemptPiThreshold: number;
}

export interface Decision {
  readonly decision: DecisionOutcome;
  readonly channel: Channel;
  readonly ruleId: string;
  readonly sources: readonly string[];
  readonly conditions: readonly Condition[];
  readonly explanation: string;
  readonly rulebookVersion: string;
  readonly parameters: PolicyParameters;
}

/**
 * How other domains ask the engine (the scheduler's residency check): a function from a context to a decision.
 * Implementations validate; callers pass contexts they built themselves.
 */
export type FlowDecider = (ctx: FlowContext) => Decision;
