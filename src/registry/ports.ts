import type {
  AnnualCounts,
  Association,
  Dataset,
  DataType,
  ListEntry,
  ListEntryVersion,
  Organization,
  Page,
  PageRequest,
  Scenario,
  ScenarioParticipant,
  Site,
} from './types.js';

/**
 * Persistence ports of the registry, named after domain operations. Contracts every adapter keeps (the store
 * conformance suite checks them on SQLite and PostgreSQL):
 * - `insert*` fails with HETAO_STORE_DUPLICATE on an existing id or unique name, HETAO_STORE_REFERENCE on a
 *   missing referenced object; it stores exactly what it is given.
 * - `update*` applies the patch only if the stored version equals `expectedVersion`, bumps the version and
 *   `updatedAt`, and returns the new object; otherwise HETAO_STORE_CONFLICT (or HETAO_STORE_NOT_FOUND).
 *   Two writers racing on the same row: exactly one wins, none is lost silently.
 * - `get*` answers null for a missing id; lists are ordered by id and paged with an opaque cursor.
 * - Organizations' `gpuShare` together stay within 1: an insert or update that would pass it fails with
 *   HETAO_REGISTRY_INVALID (field gpuShare), decided atomically, so two writers changing two organizations at once
 *   cannot pass it together.
 */
export type Patch<T> = Partial<Omit<T, 'id' | 'version' | 'createdAt' | 'updatedAt'>>;

/**
 * The ledger entry of a registry change (canonical bytes), made from the object as the write stores it. A write
 * given one stages it in the ledger outbox in the write's own transaction: the change and its entry commit
 * together or not at all, and the ledger appends the entry from there.
 */
export type LedgerEntryOf<T> = (stored: T) => Uint8Array;

export interface OrganizationStore {
  insertOrganization(org: Organization, ledgerEntry?: LedgerEntryOf<Organization>): Promise<Organization>;
  getOrganization(id: string): Promise<Organization | null>;
  listOrganizations(page?: PageRequest): Promise<Page<Organization>>;
  updateOrganization(
    id: string,
    expectedVersion: number,
    patch: Patch<Organization>,
    at: number,
    ledgerEntry?: LedgerEntryOf<Organization>,
  ): Promise<Organization>;
}

export interface AssociationStore {
  insertAssociation(a: Association, ledgerEntry?: LedgerEntryOf<Association>): Promise<Association>;
  getAssociation(id: string): Promise<Association | null>;
  /** Associations in which the organization is either side. */
  listAssociationsOf(orgId: string): Promise<readonly Association[]>;
  listAllAssociations(): Promise<readonly Association[]>;
  updateAssociation(
    id: string,
    expectedVersion: number,
    patch: Patch<Association>,
    at: number,
    ledgerEntry?: LedgerEntryOf<Association>,
  ): Promise<Association>;
}

export interface SiteStore {
  insertSite(site: Site, ledgerEntry?: LedgerEntryOf<Site>): Promise<Site>;
  getSite(id: string): Promise<Site | null>;
  listSites(page?: PageRequest): Promise<Page<Site>>;
  updateSite(id: string, expectedVersion: number, patch: Patch<Site>, at: number): Promise<Site>;
}

export interface DataTypeStore {
  insertDataType(t: DataType, ledgerEntry?: LedgerEntryOf<DataType>): Promise<DataType>;
  getDataType(name: string): Promise<DataType | null>;
  listDataTypes(): Promise<readonly DataType[]>;
}

export interface DatasetStore {
  insertDataset(d: Dataset, ledgerEntry?: LedgerEntryOf<Dataset>): Promise<Dataset>;
  getDataset(id: string): Promise<Dataset | null>;
  /** All datasets (regulators), or one owner's when `ownerOrgId` is given. */
  listDatasets(filter: { ownerOrgId?: string }, page?: PageRequest): Promise<Page<Dataset>>;
  updateDataset(id: string, expectedVersion: number, patch: Patch<Dataset>, at: number): Promise<Dataset>;
}

export interface ScenarioStore {
  insertScenario(s: Scenario, ledgerEntry?: LedgerEntryOf<Scenario>): Promise<Scenario>;
  getScenario(id: string): Promise<Scenario | null>;
  getScenarioByName(name: string): Promise<Scenario | null>;
  listScenarios(): Promise<readonly Scenario[]>;
  /** Adds or replaces one participant; bumps the scenario's version (optimistic, like updates). */
  putParticipant(
    scenarioId: string,
    expectedVersion: number,
    p: ScenarioParticipant,
    at: number,
    ledgerEntry?: LedgerEntryOf<Scenario>,
  ): Promise<Scenario>;
}

export interface ListEntryStore {
  /**
   * Inserts the entry and its first history version, atomically; `ledgerEntry` (canonical bytes) is staged in the
   * ledger outbox in the same transaction.
   */
  insertListEntry(entry: ListEntry, first: ListEntryVersion, ledgerEntry?: Uint8Array): Promise<ListEntry>;
  getListEntry(id: string): Promise<ListEntry | null>;
  findListEntry(scenarioId: string, dataType: string): Promise<ListEntry | null>;
  listEntriesOf(scenarioId: string): Promise<readonly ListEntry[]>;
  /**
   * Stores `next` (whose version must be expectedVersion + 1) and appends `record` to the history, atomically;
   * HETAO_STORE_CONFLICT if the stored version is not `expectedVersion`. `ledgerEntry` is staged with them.
   */
  saveListTransition(
    next: ListEntry,
    expectedVersion: number,
    record: ListEntryVersion,
    ledgerEntry?: Uint8Array,
  ): Promise<ListEntry>;
  listEntryHistory(entryId: string): Promise<readonly ListEntryVersion[]>;
}

export interface AnnualCountStore {
  /** Adds to an exporter's running totals for the year, atomically, and returns the new totals. */
  addAnnualCounts(
    orgId: string,
    year: number,
    piIndividuals: number,
    sensitivePiIndividuals: number,
  ): Promise<AnnualCounts>;
  getAnnualCounts(orgId: string, year: number): Promise<AnnualCounts>;
}

export interface RegistryStore
  extends OrganizationStore,
    AssociationStore,
    SiteStore,
    DataTypeStore,
    DatasetStore,
    ScenarioStore,
    ListEntryStore,
    AnnualCountStore,
    AgreementStore,
    FlowStore {}

export interface AgreementStore {
  insertAgreement(
    a: import('./types.js').Agreement,
    ledgerEntry?: LedgerEntryOf<import('./types.js').Agreement>,
  ): Promise<import('./types.js').Agreement>;
  getAgreement(id: string): Promise<import('./types.js').Agreement | null>;
  /** Agreements where the organization is either party; all when orgId is undefined. */
  listAgreements(orgId?: string): Promise<readonly import('./types.js').Agreement[]>;
}

/** The outbox ref of a flow's ledger entry: the drain sets the flow's ledgerIndex from it once appended. */
export function flowRef(flowId: string): string {
  return `flow:${flowId}`;
}

export interface FlowStore {
  insertFlow(f: import('./types.js').FlowRecord): Promise<import('./types.js').FlowRecord>;
  /**
   * Records a flow decision in one transaction: the flow, the exporter's annual counts added to (`counts`, when
   * personal information left), and its ledger entry (canonical bytes) staged in the ledger outbox under
   * flowRef(id), so none is committed without the others.
   */
  recordFlow(
    f: import('./types.js').FlowRecord,
    counts: { readonly year: number; readonly pi: number; readonly sensitive: number } | null,
    entry: Uint8Array,
  ): Promise<import('./types.js').FlowRecord>;
  getFlow(id: string): Promise<import('./types.js').FlowRecord | null>;
  /** Newest first; only flows the organization requested or is party to, unless orgId is undefined. */
  listFlows(
    filter: { orgId?: string; since?: number },
    page?: PageRequest,
  ): Promise<Page<import('./types.js').FlowRecord>>;
  /** How many flows `listFlows` would list, by decision (every decision present, 0 when none). */
  countFlows(filter: {
    orgId?: string;
    since?: number;
  }): Promise<Readonly<Record<import('../policy/index.js').DecisionOutcome, number>>>;
}
