import type { Classification, Jurisdiction, Origin, Zone } from '../policy/types.js';
import type { SubsidyProgramme } from './subsidy.js';

/**
 * The plain facts placement decides on. The registry and store resolve them; placement never reads anything else.
 * GPU counts are in GPUs (fractions allowed); prices are per GPU-hour in the site's currency; times in ms.
 */
export interface GpuPool {
  readonly type: string;
  readonly total: number;
  /**
   * Total less what runs there. Negative while the site runs more than it now has (GPUs withdrawn under running
   * jobs): nothing starts in the pool until that surplus has ended.
   */
  readonly free: number;
}

export interface SiteFacts {
  readonly id: string;
  /** Human name used in explanations, e.g. "Cyberport". */
  readonly name: string;
  readonly jurisdiction: Jurisdiction;
  readonly gpus: readonly GpuPool[];
  readonly pricePerGpuHour: number;
  /** ISO 4217 code of the price, e.g. HKD, CNY. */
  readonly currency: string;
  /** Ids of the subsidy programmes that apply at this site (see PlacementFacts.subsidies). */
  readonly subsidyProgrammes: readonly string[];
}

export interface DatasetFacts {
  readonly id: string;
  readonly name: string;
  readonly ownerOrg: string;
  /** Where the data is held; the exporter's jurisdiction for any flow out of it. */
  readonly jurisdiction: Jurisdiction;
  readonly classification: Classification;
  /** Dotted data-type name, e.g. `logistics.shipment-status`. */
  readonly type: string;
  readonly containsPersonalInfo: boolean;
  readonly sensitivePersonalInfo: boolean;
  /** Individuals whose (non-sensitive / sensitive) PI the dataset holds; added to the owner's annual counts. */
  readonly piIndividuals: number;
  readonly sensitivePiIndividuals: number;
  readonly origin: Origin;
  /** The type is on the general data list in force for `scenario`. */
  readonly onGeneralDataList: boolean;
  readonly scenario: string | null;
  /** Declared purpose of processing, e.g. `model-training`. */
  readonly purpose: string;
}

export interface OrgFacts {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: Jurisdiction;
  readonly zone: Zone | null;
  readonly isCIIO: boolean;
  /** Start-up status, for subsidy rates (Shenzhen vouchers pay more to start-ups). */
  readonly startup: boolean;
  /** Running annual export counts since 1 January, before the flow being asked about. */
  readonly annualPiIndividualsExported: number;
  readonly annualSensitivePiIndividualsExported: number;
  /** Ids of organizations associated with this one (control or >= 25% shareholding); symmetric in effect. */
  readonly associatedWith: readonly string[];
}

/** Instruments that satisfy a decision's conditions between two parties. */
export const AGREEMENT_KINDS = [
  'gba-standard-contract',
  'standard-contract',
  'certification',
  'general-data-list-filing',
] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export interface AgreementFacts {
  readonly id: string;
  readonly kind: AgreementKind;
  readonly exporterOrg: string;
  readonly importerOrg: string;
  /** Data types covered; empty = every type. */
  readonly dataTypes: readonly string[];
  /** Filed with the authority (GBA-SC: Guangdong CAC / HK DPO); unfiled agreements cover nothing. */
  readonly filed: boolean;
  /** ms since epoch; null = no expiry. */
  readonly validUntil: number | null;
}

/** A recorded regulator approval (CAC security assessment) for one exporter, importer and set of data types. */
export interface ApprovalFacts {
  readonly id: string;
  readonly kind: 'security-assessment';
  readonly exporterOrg: string;
  readonly importerOrg: string;
  readonly dataTypes: readonly string[];
  readonly validUntil: number | null;
}

/** A running allocation; its planned end (start + time limit) feeds expected start times. null = no limit. */
export interface RunningAllocation {
  readonly jobId: string;
  readonly org: string;
  readonly siteId: string;
  readonly gpuType: string;
  readonly gpus: number;
  readonly expectedEnd: number | null;
  /** Present when the job is running and its spec says it may be stopped and queued again (`preemptible`). */
  readonly preemptible?: PreemptibleRun;
}

/** What choosing among running preemptible jobs needs; ms. */
export interface PreemptibleRun {
  /** When this run started: of equal priority, the most recent run loses the least work. */
  readonly startedAt: number;
  readonly submittedAt: number;
  readonly priority: number;
}

export interface PlacementFacts {
  readonly sites: readonly SiteFacts[];
  readonly datasets: readonly DatasetFacts[];
  readonly orgs: readonly OrgFacts[];
  readonly agreements: readonly AgreementFacts[];
  readonly approvals: readonly ApprovalFacts[];
  readonly subsidies: readonly SubsidyProgramme[];
  readonly running: readonly RunningAllocation[];
}

/** What placement needs to know about the job (a parsed JobSpec plus who submitted it, and when). */
export interface PlacementRequest {
  readonly jobId: string;
  readonly org: string;
  readonly gpus: number;
  readonly gpuTypes: readonly string[];
  readonly datasets: readonly string[];
  /** ms; null = no limit. */
  readonly timeLimit: number | null;
}
