import type { Classification, Jurisdiction, Zone } from '../../policy/types.js';
import type {
  Association,
  AssociationBasis,
  AssociationState,
  Currency,
  Dataset,
  DataType,
  ListEntry,
  ListEntryVersion,
  ListState,
  Organization,
  ScenarioParticipant,
  Site,
} from '../../registry/index.js';
import type {
  AssociationsTable,
  DatasetsTable,
  DataTypesTable,
  ListEntriesTable,
  ListEntryVersionsTable,
  OrganizationsTable,
  SitesTable,
} from '../schema.js';

/** Row <-> entity mapping. Booleans are 0/1 and structured values JSON text in both dialects. */
const b = (v: number | boolean): boolean => v === 1 || v === true;
const i = (v: boolean): number => (v ? 1 : 0);

export const orgFromRow = (r: OrganizationsTable): Organization =>
  Object.freeze({
    id: r.id,
    name: r.name,
    jurisdiction: r.jurisdiction as Jurisdiction,
    zone: r.zone as Zone | null,
    isCIIO: b(r.is_ciio),
    isStartup: b(r.is_startup),
    gpuShare: Number(r.gpu_share),
    version: r.version,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

export const orgToRow = (o: Organization): OrganizationsTable => ({
  id: o.id,
  name: o.name,
  jurisdiction: o.jurisdiction,
  zone: o.zone,
  is_ciio: i(o.isCIIO),
  is_startup: i(o.isStartup),
  gpu_share: o.gpuShare,
  version: o.version,
  created_at: o.createdAt,
  updated_at: o.updatedAt,
});

export const assocFromRow = (r: AssociationsTable): Association =>
  Object.freeze({
    id: r.id,
    orgA: r.org_a,
    orgB: r.org_b,
    basis: r.basis as AssociationBasis,
    shareholdingPct: r.shareholding_pct == null ? null : Number(r.shareholding_pct),
    evidenceDigest: r.evidence_digest,
    declaredBy: r.declared_by,
    confirmedBy: r.confirmed_by,
    approvedBy: r.approved_by,
    state: r.state as AssociationState,
    validFrom: Number(r.valid_from),
    validUntil: r.valid_until == null ? null : Number(r.valid_until),
    version: r.version,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

export const assocToRow = (a: Association): AssociationsTable => ({
  id: a.id,
  org_a: a.orgA,
  org_b: a.orgB,
  basis: a.basis,
  shareholding_pct: a.shareholdingPct,
  evidence_digest: a.evidenceDigest,
  declared_by: a.declaredBy,
  confirmed_by: a.confirmedBy,
  approved_by: a.approvedBy,
  state: a.state,
  valid_from: a.validFrom,
  valid_until: a.validUntil,
  version: a.version,
  created_at: a.createdAt,
  updated_at: a.updatedAt,
});

export const siteFromRow = (r: SitesTable): Site =>
  Object.freeze({
    id: r.id,
    name: r.name,
    operatorOrgId: r.operator_org_id,
    jurisdiction: r.jurisdiction as Jurisdiction,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    gpus: JSON.parse(r.gpus) as Record<string, number>,
    pricePerGpuHour: Number(r.price_per_gpu_hour),
    currency: r.currency as Currency,
    subsidies: JSON.parse(r.subsidies) as Site['subsidies'],
    version: r.version,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

export const siteToRow = (s: Site): SitesTable => ({
  id: s.id,
  name: s.name,
  operator_org_id: s.operatorOrgId,
  jurisdiction: s.jurisdiction,
  latitude: s.latitude,
  longitude: s.longitude,
  gpus: JSON.stringify(s.gpus),
  price_per_gpu_hour: s.pricePerGpuHour,
  currency: s.currency,
  subsidies: JSON.stringify(s.subsidies),
  version: s.version,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

export const dataTypeFromRow = (r: DataTypesTable): DataType =>
  Object.freeze({
    name: r.name,
    title: r.title,
    defaultClassification: r.default_classification as Classification,
    containsPersonalInfo: b(r.contains_pi),
    sensitivePersonalInfo: b(r.sensitive_pi),
    createdAt: Number(r.created_at),
  });

export const dataTypeToRow = (t: DataType): DataTypesTable => ({
  name: t.name,
  title: t.title,
  default_classification: t.defaultClassification,
  contains_pi: i(t.containsPersonalInfo),
  sensitive_pi: i(t.sensitivePersonalInfo),
  created_at: t.createdAt,
});

export const datasetFromRow = (r: DatasetsTable): Dataset =>
  Object.freeze({
    id: r.id,
    name: r.name,
    ownerOrgId: r.owner_org_id,
    siteId: r.site_id,
    dataType: r.data_type,
    classification: r.classification as Classification,
    containsPersonalInfo: b(r.contains_pi),
    sensitivePersonalInfo: b(r.sensitive_pi),
    individuals: Number(r.individuals),
    sizeBytes: Number(r.size_bytes),
    contentDigest: r.content_digest,
    version: r.version,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

export const datasetToRow = (d: Dataset): DatasetsTable => ({
  id: d.id,
  name: d.name,
  owner_org_id: d.ownerOrgId,
  site_id: d.siteId,
  data_type: d.dataType,
  classification: d.classification,
  contains_pi: i(d.containsPersonalInfo),
  sensitive_pi: i(d.sensitivePersonalInfo),
  individuals: d.individuals,
  size_bytes: d.sizeBytes,
  content_digest: d.contentDigest,
  version: d.version,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

export const listEntryFromRow = (r: ListEntriesTable): ListEntry =>
  Object.freeze({
    id: r.id,
    scenarioId: r.scenario_id,
    dataType: r.data_type,
    state: r.state as ListState,
    assessment: r.assessment == null ? null : (JSON.parse(r.assessment) as ListEntry['assessment']),
    effectiveFrom: r.effective_from == null ? null : Number(r.effective_from),
    version: r.version,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });

export const listEntryToRow = (e: ListEntry): ListEntriesTable => ({
  id: e.id,
  scenario_id: e.scenarioId,
  data_type: e.dataType,
  state: e.state,
  assessment: e.assessment == null ? null : JSON.stringify(e.assessment),
  effective_from: e.effectiveFrom,
  version: e.version,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

export const listVersionFromRow = (r: ListEntryVersionsTable): ListEntryVersion =>
  Object.freeze({
    entryId: r.entry_id,
    version: r.version,
    state: r.state as ListState,
    actor: r.actor,
    reason: r.reason,
    at: Number(r.at),
    entry: JSON.parse(r.entry) as ListEntry,
  });

export const listVersionToRow = (v: ListEntryVersion): ListEntryVersionsTable => ({
  entry_id: v.entryId,
  version: v.version,
  state: v.state,
  actor: v.actor,
  reason: v.reason,
  at: v.at,
  entry: JSON.stringify(v.entry),
});

export const participantFromRow = (r: { org_id: string; role: string }): ScenarioParticipant =>
  Object.freeze({ orgId: r.org_id, role: r.role as ScenarioParticipant['role'] });
