import type { FlowDecider, Jurisdiction } from '../policy/types.js';
import { netPricePerGpuHour, siteProgrammes } from './charge.js';
import { buildPools, earliestStart, loadEnds, type TickSite, toMilli } from './cluster-pools.js';
import { indexFacts } from './facts-index.js';
import type { PlacementFacts, PlacementRequest, SiteFacts } from './placement-facts.js';
import type { TickJob } from './queue-tick.js';
import { type ResidencyVerdict, residencyFor } from './residency.js';
import type { SubsidySpend } from './subsidy.js';

export interface PlacementOptions {
  /** Seconds of expected waiting one unit of net cost (site currency) is worth. Default 1. */
  readonly costWeightS: number;
  /** Seconds of expected waiting one moved dataset is worth. Default 300. */
  readonly movePenaltyS: number;
  /** Waiting assumed when a site's GPUs are held by jobs without time limits, s. Default 86,400. */
  readonly unknownWaitS: number;
  /** Subsidy spent so far (caps). Default none. */
  readonly spent: SubsidySpend;
}

const DEFAULTS: PlacementOptions = { costWeightS: 1, movePenaltyS: 300, unknownWaitS: 86_400, spent: new Map() };

/** One site's verdict for one job. */
export interface SiteAssessment {
  readonly siteId: string;
  readonly feasible: boolean;
  readonly residency: ResidencyVerdict;
  /** Why the site can never hold the job's GPUs, or null. */
  readonly capacity: string | null;
  readonly gpuType: string | null;
  /** ms; null when infeasible. */
  readonly expectedStart: number | null;
  readonly netPricePerGpuHour: number;
  readonly movedDatasets: number;
  /** Lower is better; null when infeasible. */
  readonly score: number | null;
  /** One sentence starting with the site's name. */
  readonly reason: string;
}

export interface Placement {
  readonly siteId: string | null;
  readonly gpuType: string | null;
  readonly expectedStart: number | null;
  /** Chosen site first, then one line per other site saying why it was not chosen. */
  readonly explanation: string;
  readonly sites: readonly SiteAssessment[];
}

const fmtWait = (s: number): string =>
  s < 1 ? 'now' : s < 3600 ? `in ${Math.ceil(s / 60)} min` : `in ${(s / 3600).toFixed(1)} h`;

function capacityProblem(req: PlacementRequest, site: SiteFacts): string | null {
  if (req.gpus <= 0) return null;
  const typed = site.gpus.filter((g) => g.total > 0 && (req.gpuTypes.length === 0 || req.gpuTypes.includes(g.type)));
  if (typed.length === 0) {
    const has = site.gpus.filter((g) => g.total > 0).map((g) => g.type);
    return `${site.name}: has no ${req.gpuTypes.join(' or ') || 'GPUs'}${has.length ? ` (has ${has.join(', ')})` : ''}`;
  }
  const max = Math.max(...typed.map((g) => g.total));
  return max < req.gpus
    ? `${site.name}: needs ${req.gpus} GPUs of one type, the largest allowed pool has ${max}`
    : null;
}

/** Feasibility and score of every site for one job (residency via the decider, capacity, expected start, cost). */
export function assessSites(
  req: PlacementRequest,
  facts: PlacementFacts,
  decide: FlowDecider,
  now: number,
  options: Partial<PlacementOptions> = {},
): SiteAssessment[] {
  const o = { ...DEFAULTS, ...options };
  const payer = indexFacts(facts).org(req.org);
  const need = toMilli(req.gpus);
  return facts.sites.map((site) => {
    const residency = residencyFor(req, site, facts, decide, now);
    const capacity = capacityProblem(req, site);
    const price = netPricePerGpuHour(site, payer, facts.subsidies, o.spent);
    const moved = residency.datasets.filter((d) => d.moved).length;
    const base = { siteId: site.id, residency, capacity, netPricePerGpuHour: price, movedDatasets: moved };
    if (!residency.allowed || capacity !== null)
      return {
        ...base,
        feasible: false,
        gpuType: null,
        expectedStart: null,
        score: null,
        reason: (residency.reason ?? capacity) as string,
      };
    const pools = buildPools([{ id: site.id, jurisdiction: site.jurisdiction, pools: site.gpus }]);
    loadEnds(pools, facts.running, now);
    let best: { type: string; at: number } | null = null;
    for (const p of pools) {
      if (need > 0 === (p.type === '') || (req.gpuTypes.length > 0 && need > 0 && !req.gpuTypes.includes(p.type)))
        continue;
      const e = earliestStart(p, need, now);
      const at = e ? e.at : now + o.unknownWaitS * 1000;
      if (best === null || at < best.at) best = { type: p.type, at };
    }
    const start = best?.at ?? now + o.unknownWaitS * 1000;
    const hours = (req.timeLimit ?? 3600_000) / 3600_000;
    const cost = req.gpus * hours * price;
    const score = (start - now) / 1000 + o.costWeightS * cost + o.movePenaltyS * moved;
    const programmes = siteProgrammes(site, facts.subsidies).map((p) => p.name);
    const reason =
      `${site.name}: starts ${fmtWait((start - now) / 1000)}` +
      (req.gpus > 0 ? ` on ${best?.type}` : '') +
      `, ${site.currency} ${price.toFixed(2)}/GPU-h net` +
      (price < site.pricePerGpuHour && programmes.length ? ` (${programmes.join(', ')})` : '') +
      (moved ? `, moves ${moved} dataset${moved > 1 ? 's' : ''} across a boundary` : ', no data movement');
    return { ...base, feasible: true, gpuType: best?.type ?? '', expectedStart: start, score, reason };
  });
}

/** Chooses the best-scoring feasible site and explains every other site's verdict. Pure. */
export function placeJob(
  req: PlacementRequest,
  facts: PlacementFacts,
  decide: FlowDecider,
  now: number,
  options: Partial<PlacementOptions> = {},
): Placement {
  const sites = assessSites(req, facts, decide, now, options);
  let chosen: SiteAssessment | null = null;
  for (const s of sites)
    if (s.feasible && (chosen === null || (s.score as number) < (chosen.score as number))) chosen = s;
  const others = sites.filter((s) => s !== chosen).map((s) => (s.feasible ? `${s.reason} (scored lower)` : s.reason));
  const explanation = chosen
    ? [`Chosen ${chosen.reason}.`, ...others.map((r) => `Not chosen ${r}.`)].join('\n')
    : ['No site can run this job:', ...others].join('\n');
  return {
    siteId: chosen?.siteId ?? null,
    gpuType: chosen?.gpuType ?? null,
    expectedStart: chosen?.expectedStart ?? null,
    explanation,
    sites,
  };
}

/** The jurisdiction all of a job's datasets share, or null (none, or several). */
export function dataJurisdictionOf(req: PlacementRequest, facts: PlacementFacts): Jurisdiction | null {
  const ix = indexFacts(facts);
  const js = new Set(req.datasets.map((d) => ix.dataset(d).jurisdiction));
  return js.size === 1 ? ([...js][0] as Jurisdiction) : null;
}

/** The queue tick's view of a job, from its site assessments (residency decided once, not every tick). */
export function tickJobFor(
  req: PlacementRequest,
  submittedAt: number,
  priority: number,
  sites: readonly SiteAssessment[],
  facts: PlacementFacts,
): TickJob {
  return {
    id: req.jobId,
    org: req.org,
    submittedAt,
    gpus: req.gpus,
    gpuTypes: req.gpuTypes,
    timeLimit: req.timeLimit,
    priority,
    allowedSites: new Set(sites.filter((s) => s.residency.allowed).map((s) => s.siteId)),
    dataJurisdiction: dataJurisdictionOf(req, facts),
  };
}

/** The queue tick's view of the sites (gross price; per-payer subsidies are applied by placeJob's scores). */
export function tickSitesFrom(facts: PlacementFacts): TickSite[] {
  return facts.sites.map((s) => ({
    id: s.id,
    jurisdiction: s.jurisdiction,
    pools: s.gpus,
    netPricePerGpuHour: s.pricePerGpuHour,
  }));
}
