import type { Decision, FlowContext, FlowDecider } from '../policy/types.js';
import { indexFacts } from './facts-index.js';
import type {
  AgreementKind,
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
 * Which recorded instrument satisfies a channel's conditions. Channels whose conditions are the parties' own
 * obligations (exempt: notice, consent, PIPIA; hk-pdpo: DPP1(3), DPP3, safeguards; domestic) count as met: Hetao
 * cannot verify them and the law puts them on the parties, who accept them when they submit.
 */
const INSTRUMENTS: Partial<Record<string, { kinds: readonly AgreementKind[]; label: string }>> = {
  'gba-standard-contract': { kinds: ['gba-standard-contract'], label: 'a filed GBA standard contract' },
  'standard-contract': {
    kinds: ['standard-contract', 'certification'],
    label: 'a filed standard contract or certification',
  },
  certification: { kinds: ['certification', 'standard-contract'], label: 'a certification or filed standard contract' },
  'general-data-list': { kinds: ['general-data-list-filing'], label: 'a general-data-list pilot filing' },
};
const OWN_OBLIGATIONS = new Set(['exempt', 'hk-pdpo', 'domestic']);

const covers = (types: readonly string[], type: string): boolean => types.length === 0 || types.includes(type);
const valid = (until: number | null, now: number): boolean => until === null || until > now;

function judge(
  d: Decision,
  ds: DatasetFacts,
  owner: OrgFacts,
  importer: OrgFacts,
  facts: PlacementFacts,
  now: number,
): Pick<DatasetVerdict, 'allowed' | 'coveredBy' | 'missing'> {
  const rule = `(${d.ruleId})`;
  const parties = `${owner.name} and ${importer.name}`;
  const why = d.explanation.replace(/\.\s*$/, '');
  if (d.decision === 'allow') return { allowed: true, coveredBy: null, missing: null };
  if (d.decision === 'deny') return { allowed: false, coveredBy: null, missing: `${why} ${rule}` };
  if (d.decision === 'requires-approval') {
    const a = facts.approvals.find(
      (x) =>
        x.exporterOrg === owner.id &&
        x.importerOrg === importer.id &&
        covers(x.dataTypes, ds.type) &&
        valid(x.validUntil, now),
    );
    return a
      ? { allowed: true, coveredBy: a.id, missing: null }
      : {
          allowed: false,
          coveredBy: null,
          missing: `${why}; no ${d.channel} approval between ${parties} for ${ds.type} is recorded ${rule}`,
        };
  }
  if (OWN_OBLIGATIONS.has(d.channel)) return { allowed: true, coveredBy: 'own-obligations', missing: null };
  const need = INSTRUMENTS[d.channel];
  const ag = need
    ? facts.agreements.find(
        (x) =>
          need.kinds.includes(x.kind) &&
          x.filed &&
          x.exporterOrg === owner.id &&
          x.importerOrg === importer.id &&
          covers(x.dataTypes, ds.type) &&
          valid(x.validUntil, now),
      )
    : undefined;
  if (ag) return { allowed: true, coveredBy: ag.id, missing: null };
  return {
    allowed: false,
    coveredBy: null,
    missing: `${why}; it may move only under ${need?.label ?? `an instrument for channel ${d.channel}`} between ${parties}, and none is recorded ${rule}`,
  };
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
