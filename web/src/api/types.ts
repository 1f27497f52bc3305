/**
 * The exchange API's shapes as the dashboard reads them (docs/api.md). The dashboard may not import server code,
 * so these are its own copies; fields the dashboard does not read are left out.
 */

export type Jurisdiction = 'SZ' | 'GBA-mainland' | 'mainland-other' | 'HK' | 'MO' | 'overseas';
export type Zone = 'qianhai' | 'hetao-sz';
export type Classification = 'general' | 'important' | 'core';
export type Currency = 'HKD' | 'CNY';
export type Role = 'exchange-admin' | 'regulator' | 'org-admin' | 'org-member' | 'site-agent';
export type DecisionOutcome = 'allow' | 'allow-with-conditions' | 'requires-approval' | 'deny';
export type JobState =
  | 'submitted'
  | 'queued'
  | 'placed'
  | 'dispatched'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'timed-out';
export type ListState = 'proposed' | 'piloting' | 'assessed' | 'listed' | 'suspended' | 'revoked';

export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: Jurisdiction;
  readonly zone: Zone | null;
  readonly isCIIO: boolean;
  readonly isStartup: boolean;
  /** Guaranteed share of all GPUs, 0..1 (fair share). */
  readonly gpuShare: number;
}

export interface Me {
  readonly account: {
    readonly id: string;
    readonly name?: string;
    readonly role: Role;
    readonly orgId: string;
    readonly side: 'mainland' | 'hk' | null;
    readonly siteId: string | null;
  };
  readonly organization: Organization | null;
}

export interface Subsidy {
  readonly id: string;
  readonly name: string;
  readonly rate: number;
  readonly startupRate: number | null;
  readonly eligibleJurisdictions: readonly Jurisdiction[];
  readonly capPerOrg: number;
  readonly currency: Currency;
}

export interface SiteUsage {
  readonly gpusTotal: number;
  readonly gpusBusy: number;
  readonly queued: number;
  readonly running: number;
}

export interface Site {
  readonly id: string;
  readonly name: string;
  readonly operatorOrgId: string;
  readonly jurisdiction: Jurisdiction;
  readonly latitude: number;
  readonly longitude: number;
  readonly gpus: Readonly<Record<string, number>>;
  readonly pricePerGpuHour: number;
  readonly currency: Currency;
  readonly subsidies: readonly Subsidy[];
  readonly usage?: SiteUsage;
  /** Whether the site's agent calls the exchange; a silent site takes no new work. */
  readonly agent?: SiteAgentPresence;
}

export interface SiteAgentPresence {
  /** When the agent last called; null when it has not since the exchange started. */
  readonly lastHeardAt: number | null;
  /** Set once the agent has been silent long enough that the site takes no new work. */
  readonly silentSince: number | null;
}

export interface UtilizationSample {
  readonly at: number;
  readonly gpusBusy: number;
  readonly gpusTotal: number;
}

export interface DataType {
  readonly name: string;
  readonly title: string;
  readonly defaultClassification: Classification;
  readonly containsPersonalInfo: boolean;
  readonly sensitivePersonalInfo: boolean;
}

export interface Dataset {
  readonly id: string;
  readonly name: string;
  readonly ownerOrgId?: string;
  readonly siteId: string;
  readonly dataType: string;
  readonly classification: Classification;
  readonly containsPersonalInfo: boolean;
  readonly sensitivePersonalInfo: boolean;
  readonly individuals: number;
  readonly sizeBytes: number;
}

export interface Scenario {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly zone: Zone | null;
  readonly participants: readonly { readonly orgId: string; readonly role: string }[];
}

export interface ListEntry {
  readonly id: string;
  readonly scenarioId: string;
  readonly dataType: string;
  readonly state: ListState;
  readonly assessment: { readonly result: 'safe' | 'unsafe'; readonly at: number } | null;
  readonly effectiveFrom: number | null;
  readonly version: number;
}

export interface ListHistoryItem {
  readonly version: number;
  readonly state: ListState;
  readonly actor: string;
  readonly reason: string;
  readonly at: number;
}

export interface Condition {
  readonly id: string;
  readonly text: string;
}

export interface Decision {
  readonly decision: DecisionOutcome;
  readonly channel: string;
  readonly ruleId: string;
  readonly sources: readonly string[];
  readonly conditions: readonly Condition[];
  readonly explanation: string;
  readonly rulebookVersion: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** rulebook.md "Input". */
export interface FlowContext {
  readonly exporter: {
    readonly jurisdiction: Jurisdiction;
    readonly zone: Zone | null;
    readonly isCIIO: boolean;
    readonly annualPiIndividualsExported: number;
    readonly annualSensitivePiIndividualsExported: number;
  };
  readonly importer: {
    readonly jurisdiction: Jurisdiction;
    readonly associatedWithExporter: boolean;
    readonly onwardTransferOutsideGba: boolean;
  };
  readonly data: {
    readonly type: string;
    readonly containsPersonalInfo: boolean;
    readonly sensitivePersonalInfo: boolean;
    readonly classification: Classification;
    readonly origin: 'local' | 'abroad';
    readonly onGeneralDataList: boolean;
    readonly scenario: string | null;
    readonly purpose: string;
  };
  readonly options: { readonly gbaStandardContractElected: boolean };
}

export interface FlowRecord {
  readonly id: string;
  readonly at: number;
  readonly requesterOrgId: string;
  readonly exporterOrgId: string;
  readonly importerOrgId: string;
  readonly datasetId: string;
  readonly outcome: DecisionOutcome;
  readonly permitted: boolean;
  readonly decision: Decision;
  readonly ledgerIndex: number | null;
}

export type FlowCounts = Readonly<Record<DecisionOutcome, number>>;

export interface JobSpec {
  readonly name: string;
  readonly run: string;
  readonly resources?: {
    readonly gpus?: number;
    readonly gpuTypes?: readonly string[];
    readonly cpus?: number;
    readonly memoryGb?: number;
    readonly timeLimitMinutes?: number;
  };
  readonly datasets?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly priority?: number;
  /** The scheduler may stop it and queue it again (it checkpoints). */
  readonly preemptible?: boolean;
}

export interface JobEvent {
  readonly from: JobState | null;
  readonly to: JobState;
  readonly at: number;
  readonly reason: string;
}

export interface Job {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly state: JobState;
  readonly spec: JobSpec;
  readonly submittedAt: number;
  readonly placement: {
    readonly site: string;
    readonly siteName?: string;
    readonly gpuType?: string;
    readonly explanation: string;
    /** docs/api.md names the site `site`; the exchange currently sends `siteId`. Either is read. */
    readonly alternatives?: readonly { readonly site?: string; readonly siteId?: string; readonly reason: string }[];
  } | null;
  readonly execution: {
    readonly executor: string;
    readonly cluster?: string;
    readonly slurmJobId?: string;
    readonly exitCode?: number | null;
  } | null;
  /** Present on GET /jobs/:id. */
  readonly events?: readonly JobEvent[];
  /** Why a queued job is not placed yet. */
  readonly waitingReason?: string | null;
  readonly cost: JobCost | null;
}

/** What the runs at one site cost, in its currency. */
export interface JobCostLine {
  readonly siteId: string;
  readonly siteName: string;
  readonly currency: Currency;
  readonly gpuHours: number;
  readonly gross: number;
  readonly subsidy: number;
  readonly net: number;
}

/** Totals are null when the job ran in more than one currency; `lines` (one per site) is absent on old records. */
export interface JobCost {
  readonly currency: Currency | null;
  readonly gpuHours: number;
  readonly gross: number | null;
  readonly subsidy: number | null;
  readonly net: number | null;
  readonly lines?: readonly JobCostLine[];
}

export interface LedgerEntryItem {
  readonly index: number;
  readonly leafHash: string;
  readonly entry: Readonly<Record<string, unknown>>;
}

export interface LedgerEntries {
  readonly items: readonly LedgerEntryItem[];
  readonly size: number;
}

export interface InclusionProof {
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly proof: readonly string[];
  readonly checkpoint: string;
}

export interface Witnesses {
  readonly policy: { readonly threshold: number };
  readonly witnesses: readonly { readonly name: string; readonly key: string }[];
}

export interface OverviewSite {
  readonly id: string;
  readonly name: string;
  readonly jurisdiction: Jurisdiction;
  readonly latitude: number;
  readonly longitude: number;
  readonly gpusTotal: number;
  readonly gpusBusy: number;
  readonly queued: number;
  readonly running: number;
}

export interface Overview {
  readonly sites: readonly OverviewSite[];
  readonly jobs: {
    readonly queued: number;
    readonly running: number;
    readonly succeeded: number;
    readonly failed: number;
  };
  readonly flowsToday: FlowCounts;
  readonly ledger: {
    readonly size: number;
    readonly checkpointAt: number | null;
    readonly cosigners: readonly string[];
  };
}

export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}
