import type { Classification, Jurisdiction, Zone } from '../policy/types.js';

/** Registry entities. Plain frozen data; persistence goes through the ports in ports.ts. Times are epoch ms. */

export interface Versioned {
  /** Optimistic-concurrency version: 1 on create, +1 on every update. */
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface Organization extends Versioned {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: Jurisdiction;
  readonly zone: Zone | null;
  /** Critical information infrastructure operator (CSL Art 37). */
  readonly isCIIO: boolean;
  /** Start-up status, for Shenzhen's higher voucher rate. */
  readonly isStartup: boolean;
  /**
   * Guaranteed share of all the exchange's GPUs, 0..1 (the shares of all organizations sum to at most 1). Once any
   * organization has a share, GPUs beyond an organization's share are borrowed idle capacity, and jobs within
   * their share start first. 0 = none.
   */
  readonly gpuShare: number;
}

export const ASSOCIATION_BASES = [
  'control-of-funds',
  'control-of-operations',
  'control-of-purchasing',
  'shareholding',
] as const;
export type AssociationBasis = (typeof ASSOCIATION_BASES)[number];

export const ASSOCIATION_STATES = ['declared', 'confirmed', 'approved', 'revoked'] as const;
export type AssociationState = (typeof ASSOCIATION_STATES)[number];

/** Two organizations associated under the Qianhai test (control, or at least 25% shareholding). */
export interface Association extends Versioned {
  readonly id: string;
  readonly orgA: string;
  readonly orgB: string;
  readonly basis: AssociationBasis;
  /** Percentage held, for basis `shareholding` (must be >= 25). */
  readonly shareholdingPct: number | null;
  /** SHA-256 hex of the evidence document (kept off-platform). */
  readonly evidenceDigest: string;
  readonly declaredBy: string;
  readonly confirmedBy: string | null;
  /** The regulator account that approved it. */
  readonly approvedBy: string | null;
  readonly state: AssociationState;
  readonly validFrom: number;
  readonly validUntil: number | null;
}

export type Currency = 'HKD' | 'CNY';

export interface SubsidyProgramme {
  readonly id: string;
  readonly name: string;
  /** Share of the charge the programme pays, 0..1. */
  readonly rate: number;
  /** Rate for start-ups, if different (Shenzhen's vouchers: 0.6). */
  readonly startupRate: number | null;
  /** Jurisdictions whose organizations are eligible. */
  readonly eligibleJurisdictions: readonly Jurisdiction[];
  /** Most the programme pays one organization in a calendar year, in `currency`. */
  readonly capPerOrg: number;
  readonly currency: Currency;
}

export interface Site extends Versioned {
  readonly id: string;
  readonly name: string;
  readonly operatorOrgId: string;
  readonly jurisdiction: Jurisdiction;
  /** For the dashboard map, WGS84 degrees. */
  readonly latitude: number;
  readonly longitude: number;
  /** GPUs by type, e.g. `{ "A100": 8 }`. */
  readonly gpus: Readonly<Record<string, number>>;
  readonly pricePerGpuHour: number;
  readonly currency: Currency;
  readonly subsidies: readonly SubsidyProgramme[];
}

export interface DataType {
  /** Dotted name, e.g. `logistics.shipment-status`. */
  readonly name: string;
  readonly title: string;
  readonly defaultClassification: Classification;
  readonly containsPersonalInfo: boolean;
  readonly sensitivePersonalInfo: boolean;
  readonly createdAt: number;
}

/** Metadata about data held at a site; never the data itself. */
export interface Dataset extends Versioned {
  readonly id: string;
  readonly name: string;
  readonly ownerOrgId: string;
  readonly siteId: string;
  readonly dataType: string;
  readonly classification: Classification;
  readonly containsPersonalInfo: boolean;
  readonly sensitivePersonalInfo: boolean;
  /** Individuals whose personal information the dataset holds (0 without PI). */
  readonly individuals: number;
  readonly sizeBytes: number;
  /** SHA-256 hex of the content, as the owner computed it. */
  readonly contentDigest: string;
}

export interface Scenario extends Versioned {
  readonly id: string;
  /** Slug, e.g. `cross-border-logistics`. */
  readonly name: string;
  readonly title: string;
  readonly zone: Zone | null;
  readonly participants: readonly ScenarioParticipant[];
}

export interface ScenarioParticipant {
  readonly orgId: string;
  readonly role: 'lead' | 'participant';
}

export const LIST_STATES = ['proposed', 'piloting', 'assessed', 'listed', 'suspended', 'revoked'] as const;
export type ListState = (typeof LIST_STATES)[number];

export interface Assessment {
  readonly by: string;
  readonly at: number;
  readonly result: 'safe' | 'unsafe';
  readonly evidenceDigest: string;
}

/** A data type's standing on one scenario's general data list. */
export interface ListEntry extends Versioned {
  readonly id: string;
  readonly scenarioId: string;
  readonly dataType: string;
  readonly state: ListState;
  readonly assessment: Assessment | null;
  readonly effectiveFrom: number | null;
}

/** One version of a list entry, as it was after a transition. History is append-only. */
export interface ListEntryVersion {
  readonly entryId: string;
  readonly version: number;
  readonly state: ListState;
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
  readonly entry: ListEntry;
}

/** An exporter's running totals for one calendar year (P24 counts individuals since 1 January). */
export interface AnnualCounts {
  readonly orgId: string;
  readonly year: number;
  readonly piIndividuals: number;
  readonly sensitivePiIndividuals: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Cursor for the next page, or null at the end. */
  readonly next: string | null;
}

export interface PageRequest {
  readonly after?: string | null;
  /** 1..500, default 100. */
  readonly limit?: number;
}

/**
 * Instruments that turn a conditional decision into permission between two parties: contracts and filings
 * (allow-with-conditions) and regulator approvals (requires-approval).
 */
export const AGREEMENT_KINDS = [
  'gba-standard-contract',
  'standard-contract',
  'certification',
  'general-data-list-filing',
  'security-assessment',
] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export interface Agreement {
  readonly id: string;
  readonly kind: AgreementKind;
  readonly exporterOrgId: string;
  readonly importerOrgId: string;
  /** Data types covered; empty = every type. */
  readonly dataTypes: readonly string[];
  /** When it was filed with the authority (GBA-SC: within 10 working days); null = not filed. */
  readonly filedAt: number | null;
  readonly validFrom: number;
  readonly validUntil: number | null;
  readonly evidenceDigest: string;
  /** The account that recorded it (a regulator, for security assessments). */
  readonly recordedBy: string;
  readonly createdAt: number;
}

/** A real flow request: decided against the registry, recorded in the ledger. */
export interface FlowRecord {
  readonly id: string;
  readonly requesterOrgId: string;
  readonly exporterOrgId: string;
  readonly importerOrgId: string;
  readonly datasetId: string;
  readonly scenarioId: string | null;
  readonly purpose: string;
  readonly outcome: string;
  /** The decision is allow, or its conditions/approval are covered by a recorded agreement. */
  readonly permitted: boolean;
  readonly decision: unknown;
  readonly ledgerIndex: number | null;
  readonly at: number;
}
