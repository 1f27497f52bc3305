import type { Generated } from 'kysely';

/**
 * Table shapes, shared by both dialects. Booleans are stored as integers 0/1 and structured values as JSON text,
 * so one set of queries serves SQLite and PostgreSQL. Times are epoch milliseconds (bigint).
 */
export interface OrganizationsTable {
  id: string;
  name: string;
  jurisdiction: string;
  zone: string | null;
  is_ciio: number;
  is_startup: number;
  gpu_share: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface AssociationsTable {
  id: string;
  org_a: string;
  org_b: string;
  basis: string;
  shareholding_pct: number | null;
  evidence_digest: string;
  declared_by: string;
  confirmed_by: string | null;
  approved_by: string | null;
  state: string;
  valid_from: number;
  valid_until: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface SitesTable {
  id: string;
  name: string;
  operator_org_id: string;
  jurisdiction: string;
  latitude: number;
  longitude: number;
  gpus: string;
  price_per_gpu_hour: number;
  currency: string;
  subsidies: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface DataTypesTable {
  name: string;
  title: string;
  default_classification: string;
  contains_pi: number;
  sensitive_pi: number;
  created_at: number;
}

export interface DatasetsTable {
  id: string;
  name: string;
  owner_org_id: string;
  site_id: string;
  data_type: string;
  classification: string;
  contains_pi: number;
  sensitive_pi: number;
  individuals: number;
  size_bytes: number;
  content_digest: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ScenariosTable {
  id: string;
  name: string;
  title: string;
  zone: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ScenarioParticipantsTable {
  scenario_id: string;
  org_id: string;
  role: string;
}

export interface ListEntriesTable {
  id: string;
  scenario_id: string;
  data_type: string;
  state: string;
  assessment: string | null;
  effective_from: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ListEntryVersionsTable {
  entry_id: string;
  version: number;
  state: string;
  actor: string;
  reason: string;
  at: number;
  entry: string;
}

export interface AnnualCountsTable {
  org_id: string;
  year: number;
  pi_individuals: number;
  sensitive_pi_individuals: number;
}

export interface SchemaVersionTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface AccountsTable {
  id: string;
  name: string;
  org_id: string;
  role: string;
  side: string | null;
  site_id: string | null;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface AgreementsTable {
  id: string;
  kind: string;
  exporter_org_id: string;
  importer_org_id: string;
  data_types: string;
  filed_at: number | null;
  valid_from: number;
  valid_until: number | null;
  evidence_digest: string;
  recorded_by: string;
  created_at: number;
}

export interface FlowRequestsTable {
  id: string;
  requester_org_id: string;
  exporter_org_id: string;
  importer_org_id: string;
  dataset_id: string;
  scenario_id: string | null;
  purpose: string;
  outcome: string;
  permitted: number;
  decision: string;
  ledger_index: number | null;
  at: number;
}

/**
 * Ledger tables (migrations 003 and 005). Bytes are Buffers in both drivers. Bundle row k: the entry bundle of
 * entries [256k, ...); tile row (level, k): hashes [256k, ...) of that tree level, 32 bytes each, concatenated.
 */
export interface LedgerBundlesTable {
  idx: number;
  bytes: Buffer;
}

export interface LedgerTilesTable {
  level: number;
  idx: number;
  hashes: Buffer;
}

export interface LedgerHeadTable {
  id: number;
  size: number;
  checkpoint: string | null;
  published_size: number;
  published: string | null;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  /** SHA-256 of the request's method, path and body. */
  fingerprint: string;
  /** The exchange process that claimed the key. */
  owner: string;
  /** The answer; null while the request is being handled. */
  status: number | null;
  body: string | null;
  content_type: string | null;
  created_at: number;
}

export interface ProcessLeasesTable {
  name: string;
  /** Who holds it: the exchange process (JSON: id, pid, host). */
  holder: string;
  expires_at: number;
}

export interface LedgerOutboxRejectedTable {
  id: number;
  entry: string;
  ref: string | null;
  created_at: number;
  /** Why the row can never be appended (the log's error). */
  reason: string;
  rejected_at: number;
}

export interface LedgerRefsTable {
  /** An outbox row's ref, e.g. `flow:<id>`. */
  ref: string;
  /** The log index its entry got. */
  idx: number;
}

export interface LedgerOutboxTable {
  id: Generated<number>;
  /** The entry's canonical bytes, as text (canonical entries are UTF-8 JSON). */
  entry: string;
  /** The record told the entry's index once appended, e.g. `flow:<id>`. */
  ref: string | null;
  created_at: number;
}

export interface WitnessStateTable {
  witness: string;
  origin: string;
  size: number;
  root_hash: Uint8Array;
}

export interface JobsTable {
  id: string;
  org_id: string;
  submitted_by: string;
  name: string;
  spec: string;
  state: string;
  submitted_at: number;
  updated_at: number;
  version: number;
  site_id: string | null;
  placement: string | null;
  waiting_reason: string | null;
  attempt: number;
  lease_token: number;
  lease_expires_at: number | null;
  execution: string | null;
  cost: string | null;
  started_at: number | null;
  ended_at: number | null;
  prior_run_ms: number;
  prior_site_id: string | null;
  /** JSON PriorRun[]; null = none. */
  prior_runs: string | null;
}

export interface JobEventsTable {
  job_id: string;
  seq: number;
  from_state: string;
  to_state: string;
  at: number;
  reason: string;
}

export interface JobLogsTable {
  job_id: string;
  attempt: number;
  offset: number;
  text: string;
}

export interface AgentMessagesTable {
  message_id: string;
  job_id: string;
  at: number;
}

export interface Tables {
  jobs: JobsTable;
  job_events: JobEventsTable;
  job_logs: JobLogsTable;
  agent_messages: AgentMessagesTable;
  accounts: AccountsTable;
  agreements: AgreementsTable;
  flow_requests: FlowRequestsTable;
  hetao_schema_version: SchemaVersionTable;
  organizations: OrganizationsTable;
  associations: AssociationsTable;
  sites: SitesTable;
  data_types: DataTypesTable;
  datasets: DatasetsTable;
  scenarios: ScenariosTable;
  scenario_participants: ScenarioParticipantsTable;
  list_entries: ListEntriesTable;
  list_entry_versions: ListEntryVersionsTable;
  annual_counts: AnnualCountsTable;
  ledger_bundles: LedgerBundlesTable;
  ledger_tiles: LedgerTilesTable;
  ledger_head: LedgerHeadTable;
  ledger_outbox: LedgerOutboxTable;
  ledger_refs: LedgerRefsTable;
  ledger_outbox_rejected: LedgerOutboxRejectedTable;
  process_leases: ProcessLeasesTable;
  idempotency_keys: IdempotencyKeysTable;
  witness_state: WitnessStateTable;
}

export type Dialect = 'sqlite' | 'postgres';
