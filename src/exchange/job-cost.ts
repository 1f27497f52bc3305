import type { Organization, RegistryStore, Site } from '../registry/index.js';
import { chargeJob } from '../scheduler/charge.js';
import type { JobCost, JobRecord, JobStore } from '../scheduler/job-store.js';
import { siteSubsidies } from './subsidy-programmes.js';

/**
 * What a finished job costs: the GPU-hours of its last run (`startedAt` to `endedAt`) and of runs stopped by
 * preemption before it, at the site's price, less the best subsidy the organization is eligible for there,
 * within what remains of the programme's yearly cap (`spent`, keyed programme:org).
 */
function jobCost(
  job: JobRecord,
  site: Site,
  org: Organization,
  startedAt: number,
  endedAt: number,
  spent: ReadonlyMap<string, number>,
): JobCost {
  const programmes = siteSubsidies(site);
  const ranMs = Math.max(0, endedAt - startedAt) + Math.max(0, job.priorRunMs);
  const gpuHours = (ranMs / 3_600_000) * Math.max(job.spec.resources.gpus, 0);
  const { charge } = chargeJob({
    jobId: job.id,
    payer: { id: org.id, jurisdiction: org.jurisdiction, startup: org.isStartup },
    site: {
      id: site.id,
      name: site.name,
      jurisdiction: site.jurisdiction,
      gpus: [],
      pricePerGpuHour: site.pricePerGpuHour,
      currency: site.currency,
      subsidyProgrammes: programmes.map((p) => p.id),
    },
    gpuHours,
    programmes,
    spent,
  });
  return {
    currency: charge.currency,
    gpuHours: Math.round(gpuHours * 1e6) / 1e6,
    gross: charge.gross,
    subsidy: charge.subsidy,
    net: charge.net,
    programme: charge.programmeId,
  };
}

/** Subsidy each programme paid `orgId` this calendar year (UTC), keyed programme:org, from its ended jobs. */
async function subsidySpent(jobs: JobStore, orgId: string, now: number): Promise<Map<string, number>> {
  const spent = new Map<string, number>();
  const year = new Date(now).getUTCFullYear();
  let after: string | null = null;
  do {
    const page = await jobs.listJobs(
      { orgId, states: ['succeeded', 'failed', 'timed-out', 'cancelled'] },
      { after, limit: 500 },
    );
    for (const j of page.items) {
      if (j.cost?.programme && j.endedAt && new Date(j.endedAt).getUTCFullYear() === year) {
        const key = `${j.cost.programme}:${orgId}`;
        spent.set(key, (spent.get(key) ?? 0) + j.cost.subsidy);
      }
    }
    after = page.next;
  } while (after);
  return spent;
}

/** The cost of what a job ran up to `at`: its last run from `startedAt` (null: it did not start again) and earlier ones. */
export type Charge = (job: JobRecord, startedAt: number | null, at: number) => JobCost | null;

/**
 * Reads what charging `job` as it ends takes — its site, its organization and the year's subsidy spend — before
 * the change that ends it, and returns the charge: null for a job that never ran, or that is no longer at that
 * site. A job waiting in the queue after stopped runs is charged for them at the site of the last one.
 */
export async function chargerFor(
  deps: { readonly registry: RegistryStore; readonly jobs: JobStore },
  job: JobRecord,
  now: number,
): Promise<Charge> {
  const siteOf = (j: JobRecord): string | null => j.siteId ?? j.priorSiteId;
  const siteId = siteOf(job);
  const site = siteId ? await deps.registry.getSite(siteId) : null;
  const org = await deps.registry.getOrganization(job.orgId);
  if (!site || !org) return () => null;
  const spent = await subsidySpent(deps.jobs, org.id, now);
  return (cur, startedAt, at) =>
    siteOf(cur) === site.id && (startedAt !== null || cur.priorRunMs > 0)
      ? jobCost(cur, site, org, startedAt ?? at, at, spent)
      : null;
}
