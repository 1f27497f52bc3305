import { calendarYearAt, type KeyedQueue, queueOf } from '../core/index.js';
import type { Organization, RegistryStore, Site } from '../registry/index.js';
import { cents, chargeJob } from '../scheduler/charge.js';
import type { JobCost, JobCostLine, JobRecord, JobStore } from '../scheduler/job-store.js';
import type { SubsidySpend } from '../scheduler/subsidy.js';
import { siteSubsidies } from './subsidy-programmes.js';

const micro = (x: number): number => Math.round(x * 1e6) / 1e6;

/** One line: `ms` of the job's GPUs at `site`, at its price, less the best subsidy left within its yearly cap. */
function lineAt(
  job: JobRecord,
  site: Site,
  org: Organization,
  ms: number,
  spent: SubsidySpend,
): { line: JobCostLine; spent: SubsidySpend } {
  const programmes = siteSubsidies(site);
  const gpuHours = (Math.max(0, ms) / 3_600_000) * Math.max(job.spec.resources.gpus, 0);
  const res = chargeJob({
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
  const c = res.charge;
  const line = {
    siteId: site.id,
    siteName: site.name,
    currency: c.currency,
    gpuHours: micro(gpuHours),
    gross: c.gross,
    subsidy: c.subsidy,
    net: c.net,
    programme: c.programmeId,
  };
  return { line, spent: res.spent };
}

/** The lines added up: totals when they share one currency (null otherwise), the programme when one paid all. */
export function costOfLines(lines: readonly JobCostLine[]): JobCost {
  const one = lines.every((l) => l.currency === lines[0]?.currency);
  const sum = (f: (l: JobCostLine) => number): number | null =>
    one ? cents(lines.reduce((a, l) => a + f(l), 0)) : null;
  const programme = lines[0]?.programme ?? null;
  return {
    currency: one ? (lines[0]?.currency ?? null) : null,
    gpuHours: micro(lines.reduce((a, l) => a + l.gpuHours, 0)),
    gross: sum((l) => l.gross),
    subsidy: sum((l) => l.subsidy),
    net: sum((l) => l.net),
    programme: lines.every((l) => l.programme === programme) ? programme : null,
    lines,
  };
}

/**
 * Milliseconds run per site, in the order the job first ran there: its stopped runs (`priorRuns`), any stopped
 * time recorded before runs were kept (priced where the job is, else where it last ran), then its last run from
 * `startedAt` to `at` (null: it did not start again).
 */
export function runTimeBySite(job: JobRecord, startedAt: number | null, at: number): Map<string, number> {
  const by = new Map<string, number>();
  const add = (siteId: string | null, ms: number): void => {
    if (siteId !== null) by.set(siteId, (by.get(siteId) ?? 0) + Math.max(0, ms));
  };
  const kept = job.priorRuns.reduce((a, r) => a + Math.max(0, r.endedAt - r.startedAt), 0);
  if (job.priorRunMs - kept > 0) add(job.siteId ?? job.priorSiteId, job.priorRunMs - kept);
  for (const r of job.priorRuns) add(r.siteId, r.endedAt - r.startedAt);
  if (startedAt !== null) add(job.siteId, at - startedAt);
  return by;
}

/** Subsidy each programme paid `orgId` this calendar year (Beijing and Hong Kong time), keyed programme:org, from its ended jobs. */
async function subsidySpent(jobs: JobStore, orgId: string, now: number): Promise<Map<string, number>> {
  const spent = new Map<string, number>();
  const year = calendarYearAt(now);
  let after: string | null = null;
  do {
    const page = await jobs.listJobs(
      { orgId, states: ['succeeded', 'failed', 'timed-out', 'cancelled'] },
      { after, limit: 500 },
    );
    for (const j of page.items) {
      if (!j.cost || !j.endedAt || calendarYearAt(j.endedAt) !== year) continue;
      for (const l of j.cost.lines ?? [j.cost]) {
        if (!l.programme) continue;
        const key = `${l.programme}:${orgId}`;
        spent.set(key, cents((spent.get(key) ?? 0) + (l.subsidy ?? 0)));
      }
    }
    after = page.next;
  } while (after);
  return spent;
}

/** The cost of what a job ran up to `at`: its last run from `startedAt` (null: it did not start again) and earlier ones. */
export type Charge = (job: JobRecord, startedAt: number | null, at: number) => JobCost | null;

/**
 * Reads what charging `job` as it ends takes — every site it ran at, its organization and the year's subsidy
 * spend — before the change that ends it, and returns the charge: one line per site, each at that site's price
 * and subsidy (a job stopped in Hong Kong and resumed in Shenzhen pays HKD there and CNY here). Null for a job
 * that never ran, or that ran since at a site not read.
 */
export async function chargerFor(
  deps: { readonly registry: RegistryStore; readonly jobs: JobStore },
  job: JobRecord,
  now: number,
): Promise<Charge> {
  const ids = new Set([...job.priorRuns.map((r) => r.siteId), job.siteId ?? job.priorSiteId]);
  const sites = new Map<string, Site>();
  for (const id of ids) {
    const site = id ? await deps.registry.getSite(id) : null;
    if (site) sites.set(site.id, site);
  }
  const org = await deps.registry.getOrganization(job.orgId);
  if (!org || sites.size === 0) return () => null;
  const spentBefore = await subsidySpent(deps.jobs, org.id, now);
  return (cur, startedAt, at) => {
    const by = runTimeBySite(cur, startedAt, at);
    if (by.size === 0 || [...by.keys()].some((id) => !sites.has(id))) return null;
    let spent: SubsidySpend = spentBefore;
    const lines: JobCostLine[] = [];
    for (const [id, ms] of by) {
      const r = lineAt(cur, sites.get(id) as Site, org, ms, spent);
      lines.push(r.line);
      spent = r.spent;
    }
    return costOfLines(lines);
  };
}

const endings = new WeakMap<object, KeyedQueue>();

/**
 * Runs the ending of one of `orgId`'s jobs (read the year's subsidy spend, charge, end the job) after any other
 * ending of that organization's jobs has finished: two jobs ending at once must not both spend the same subsidy
 * left under the organization's cap. Keyed per job store, so every service over one store shares it.
 */
export function endingOf<T>(jobs: JobStore, orgId: string, fn: () => Promise<T>): Promise<T> {
  return queueOf(endings, jobs).run(orgId, fn);
}
