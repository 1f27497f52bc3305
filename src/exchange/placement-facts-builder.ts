import { calendarYearAt } from '../core/index.js';
import { areAssociated, everyItem, isInForce, type RegistryStore, type Site } from '../registry/index.js';
import type { JobRecord } from '../scheduler/job-store.js';
import type {
  AgreementFacts,
  ApprovalFacts,
  DatasetFacts,
  OrgFacts,
  PlacementFacts,
  RunningAllocation,
  SiteFacts,
} from '../scheduler/placement-facts.js';
import { limitForRun } from '../scheduler/resume-limit.js';
import type { SubsidyProgramme } from '../scheduler/subsidy.js';
import { siteSubsidies } from './subsidy-programmes.js';

/** GPUs a job holds while it is placed, dispatched or running. */
export const ACTIVE_STATES = ['placed', 'dispatched', 'running'] as const;

/** The time limit of a job's next or current run, ms (limitForRun): planned with here, enforced at the site. */
export function limitLeft(j: JobRecord): number | null {
  const m = j.spec.resources.timeLimitMinutes;
  return limitForRun(m === null ? null : m * 60_000, j.priorRunMs);
}

export function allocationOf(j: JobRecord): RunningAllocation | null {
  if (!j.siteId || !j.placement) return null;
  const limit = limitLeft(j);
  const start = j.startedAt ?? j.updatedAt;
  return {
    jobId: j.id,
    org: j.orgId,
    siteId: j.siteId,
    gpuType: j.placement.gpuType,
    gpus: j.spec.resources.gpus,
    expectedEnd: limit === null ? null : start + limit,
    ...(j.state === 'running' && j.spec.preemptible === true && j.startedAt !== null
      ? { preemptible: { startedAt: j.startedAt, submittedAt: j.submittedAt, priority: j.spec.priority } }
      : {}),
  };
}

/** A site's pools as placement sees them: free is total less what runs there, below zero when over-committed. */
export function siteFacts(s: Site, running: readonly RunningAllocation[]): SiteFacts {
  return {
    id: s.id,
    name: s.name,
    jurisdiction: s.jurisdiction,
    gpus: Object.entries(s.gpus).map(([type, total]) => {
      const used = running.filter((r) => r.siteId === s.id && r.gpuType === type).reduce((a, r) => a + r.gpus, 0);
      return { type, total, free: total - used };
    }),
    pricePerGpuHour: s.pricePerGpuHour,
    currency: s.currency,
    subsidyProgrammes: s.subsidies.map((p) => p.id),
  };
}

/**
 * Turns the registry and the active jobs into the plain facts placement decides on. Datasets are those the
 * given jobs read; a dataset's type counts as listed when it is in force on the list of a scenario its owner
 * takes part in. `listed`: the sites, when the caller has just read them.
 */
export async function buildPlacementFacts(
  registry: RegistryStore,
  jobs: readonly JobRecord[],
  active: readonly JobRecord[],
  now: number,
  listed?: readonly Site[],
): Promise<PlacementFacts> {
  const running = active.map(allocationOf).filter((a): a is RunningAllocation => a !== null);
  const sites = listed ?? (await everyItem((p) => registry.listSites(p)));
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const datasetIds = new Set(jobs.flatMap((j) => j.spec.datasets));
  const datasets: DatasetFacts[] = [];
  const orgIds = new Set(jobs.map((j) => j.orgId));
  const scenarios = await registry.listScenarios();
  for (const id of datasetIds) {
    const d = await registry.getDataset(id);
    const site = d && siteById.get(d.siteId);
    if (!d || !site) continue;
    orgIds.add(d.ownerOrgId);
    let scenario: string | null = null;
    for (const s of scenarios) {
      if (!s.participants.some((p) => p.orgId === d.ownerOrgId)) continue;
      const e = await registry.findListEntry(s.id, d.dataType);
      if (e && isInForce(e, now)) scenario = s.name;
    }
    datasets.push({
      id: d.id,
      name: d.name,
      ownerOrg: d.ownerOrgId,
      jurisdiction: site.jurisdiction,
      classification: d.classification,
      type: d.dataType,
      containsPersonalInfo: d.containsPersonalInfo,
      sensitivePersonalInfo: d.sensitivePersonalInfo,
      piIndividuals: d.containsPersonalInfo && !d.sensitivePersonalInfo ? d.individuals : 0,
      sensitivePiIndividuals: d.sensitivePersonalInfo ? d.individuals : 0,
      origin: 'local',
      onGeneralDataList: scenario !== null,
      scenario,
      purpose: 'model-training',
    });
  }
  const year = calendarYearAt(now);
  const orgs: OrgFacts[] = [];
  const agreements: AgreementFacts[] = [];
  const approvals: ApprovalFacts[] = [];
  const seenAgreements = new Set<string>();
  for (const id of orgIds) {
    const o = await registry.getOrganization(id);
    if (!o) continue;
    const assoc = await registry.listAssociationsOf(id);
    const counts = await registry.getAnnualCounts(id, year);
    const partners = new Set(assoc.flatMap((a) => [a.orgA, a.orgB]).filter((x) => x !== id));
    orgs.push({
      id: o.id,
      name: o.name,
      jurisdiction: o.jurisdiction,
      zone: o.zone,
      isCIIO: o.isCIIO,
      startup: o.isStartup,
      annualPiIndividualsExported: counts.piIndividuals,
      annualSensitivePiIndividualsExported: counts.sensitivePiIndividuals,
      associatedWith: [...partners].filter((p) => areAssociated(id, p, assoc, now)),
    });
    for (const a of await registry.listAgreements(id)) {
      if (seenAgreements.has(a.id) || a.validFrom > now) continue;
      seenAgreements.add(a.id);
      if (a.kind === 'security-assessment') {
        approvals.push({
          id: a.id,
          kind: a.kind,
          exporterOrg: a.exporterOrgId,
          importerOrg: a.importerOrgId,
          dataTypes: a.dataTypes,
          validUntil: a.validUntil,
        });
      } else {
        agreements.push({
          id: a.id,
          kind: a.kind,
          exporterOrg: a.exporterOrgId,
          importerOrg: a.importerOrgId,
          dataTypes: a.dataTypes,
          filed: a.filedAt !== null,
          validUntil: a.validUntil,
        });
      }
    }
  }
  const subsidies = new Map<string, SubsidyProgramme>();
  for (const s of sites) for (const p of siteSubsidies(s)) subsidies.set(p.id, p);
  return {
    sites: sites.map((s) => siteFacts(s, running)),
    datasets,
    orgs,
    agreements,
    approvals,
    subsidies: [...subsidies.values()],
    running,
  };
}
