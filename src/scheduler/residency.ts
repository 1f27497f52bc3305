import type { Decision, FlowContext, FlowDecider } from '../policy/types.js';
import { coverageOf } from '../registry/coverage.js';
import type { Agreement } from '../registry/types.js';
import { indexFacts } from './facts-index.js';
import type {
  AgreementFacts,
  ApprovalFacts,
  DatasetFacts,
  OrgFacts,
  PlacementFacts,
  PlacementRequest,
  SiteFacts,
} from './placement-facts.js';

/** How one dataset would fare if the job ran at one site. */
export interface DatasetVerdict {
  readonly datasetId: string;
  /** False when the site is in the dataset's own jurisdiction: nothing crosses a border, nothing is asked. */
  readonly moved: boolean;
  readonly decision: Decision | null;
  readonly allowed: boolean;
  /** The agreement or approval id that covers the decision, `own-obligations`, or null. */
  readonly coveredBy: string | null;
  /** Why not allowed, one sentence naming what is missing (null when allowed). */
  readonly missing: string | null;
}

export interface ResidencyVerdict {
  readonly siteId: string;
  readonly allowed: boolean;
  readonly datasets: readonly DatasetVerdict[];
  /** First refusal as `Site: dataset X ...`, or null. */
  readonly reason: string | null;
}

/**
 * The flow the job's reading of `dataset` at `site` would be: the dataset's owner exports from the dataset's
 * jurisdiction (with its zone, CIIO status and annual counts plus this dataset's individuals); the submitting
 * organization imports in the site's jurisdiction.
 */
export function flowContextFor(
  dataset: DatasetFacts,
  owner: OrgFacts,
  importer: OrgFacts,
  site: SiteFacts,
): FlowContext {
  const associated =
    owner.id === importer.id ||
    owner.associatedWith.includes(importer.id) ||
    importer.associatedWith.includes(owner.id);
  return {
    exporter: {
      jurisdiction: dataset.jurisdiction,
      // The exporter's special zone matters only for data leaving from Shenzhen, where the zone is.
      zone: dataset.jurisdiction === 'SZ' ? owner.zone : null,
      isCIIO: owner.isCIIO,
      annualPiIndividualsExported: owner.annualPiIndividualsExported + dataset.piIndividuals,
      annualSensitivePiIndividualsExported: owner.annualSensitivePiIndividualsExported + dataset.sensitivePiIndividuals,
    },
    importer: { jurisdiction: site.jurisdiction, associatedWithExporter: associated, onwardTransferOutsideGba: false },
    data: {
      type: dataset.type,
      containsPersonalInfo: dataset.containsPersonalInfo,
      sensitivePersonalInfo: dataset.sensitivePersonalInfo,
      classification: dataset.classification,
      origin: dataset.origin,
      onGeneralDataList: dataset.onGeneralDataList,
      scenario: dataset.scenario,
      purpose: dataset.purpose,
    },
    options: { gbaStandardContractElected: false },
  };
}

/**
 * The facts' agreements and approvals in the registry's shape, so `coverageOf` (the registry's one rule for whether
 * a decision is a permission) decides here too. Facts carry no validFrom: what the registry resolved is in force
 * from the start; an approval (security assessment) needs no filing; an agreement counts as filed or not.
 */
const instrumentCache = new WeakMap<PlacementFacts, readonly Agreement[]>();
const asAgreement = (x: AgreementFacts | ApprovalFacts, filedAt: number | null): Agreement => ({
  id: x.id,
  kind: x.kind,
  exporterOrgId: x.exporterOrg,
  importerOrgId: x.importerOrg,
  dataTypes: x.dataTypes,
  filedAt,
  validFrom: Number.NEGATIVE_INFINITY,
  validUntil: x.validUntil,
  evidenceDigest: '',
  recordedBy: '',
  createdAt: 0,
});
function instrumentsOf(facts: PlacementFacts): readonly Agreement[] {
  let out = instrumentCache.get(facts);
  if (!out) {
    out = [
      ...facts.approvals.map((x) => asAgreement(x, null)),
      ...facts.agreements.map((x) => asAgreement(x, x.filed ? Number.NEGATIVE_INFINITY : null)),
    ];
    instrumentCache.set(facts, out);
  }
  return out;
}

function judge(
  d: Decision,
  ds: DatasetFacts,
  owner: OrgFacts,
  importer: OrgFacts,
  facts: PlacementFacts,
  now: number,
): Pick<DatasetVerdict, 'allowed' | 'coveredBy' | 'missing'> {
  const parties = {
    exporterOrgId: owner.id,
    importerOrgId: importer.id,
    label: `${owner.name} and ${importer.name}`,
    dataType: ds.type,
  };
  const c = coverageOf(d, parties, instrumentsOf(facts), now);
  return { allowed: c.permitted, coveredBy: c.coveredBy, missing: c.missing };
}

/** Residency feasibility of running `req` at `site`: every dataset it reads must be allowed to reach the site. */
export function residencyFor(
  req: PlacementRequest,
  site: SiteFacts,
  facts: PlacementFacts,
  decide: FlowDecider,
  now: number,
): ResidencyVerdict {
  const ix = indexFacts(facts);
  const importer = ix.org(req.org);
  const datasets: DatasetVerdict[] = [];
  let reason: string | null = null;
  for (const id of req.datasets) {
    const ds = ix.dataset(id);
    if (ds.jurisdiction === site.jurisdiction) {
      datasets.push({ datasetId: id, moved: false, decision: null, allowed: true, coveredBy: null, missing: null });
      continue;
    }
    const owner = ix.org(ds.ownerOrg);
    const decision = decide(flowContextFor(ds, owner, importer, site));
    const j = judge(decision, ds, owner, importer, facts, now);
    datasets.push({ datasetId: id, moved: true, decision, ...j });
    if (!j.allowed && reason === null)
      reason = `${site.name}: dataset ${ds.name} may not move from ${ds.jurisdiction} to ${site.jurisdiction}: ${j.missing}`;
  }
  return { siteId: site.id, allowed: reason === null, datasets, reason };
}
