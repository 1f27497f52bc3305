import { everyItem, gpusOf, type RegistryStore } from '../registry/index.js';
import type { JobRun, JobStore } from '../scheduler/job-store.js';
import { ACTIVE_STATES } from './placement-facts-builder.js';

export interface SiteUsage {
  readonly gpusTotal: number;
  readonly gpusBusy: number;
  /** Jobs placed or dispatched at the site, not yet running. */
  readonly queued: number;
  readonly running: number;
}

export interface UsageSample {
  readonly at: number;
  /** GPUs held by jobs running at `at`. */
  readonly gpusBusy: number;
  readonly gpusTotal: number;
}

/** Most samples in one history: a day at 5-minute steps; longer windows take longer steps. */
export const MAX_SAMPLES = 288;
const MINUTE = 60_000;

/**
 * GPUs busy at each of `times` (ascending), from the runs that overlap them: a run holds its GPUs from its start
 * until its end (exclusive), or on if it has not ended.
 */
export function busyAt(runs: readonly JobRun[], times: readonly number[]): number[] {
  const starts = [...runs].sort((a, b) => a.startedAt - b.startedAt);
  const ends = runs.filter((r) => r.endedAt !== null).sort((a, b) => (a.endedAt as number) - (b.endedAt as number));
  const out: number[] = [];
  let busy = 0;
  let s = 0;
  let e = 0;
  for (const t of times) {
    while (s < starts.length && (starts[s] as JobRun).startedAt <= t) busy += (starts[s++] as JobRun).gpus;
    while (e < ends.length && ((ends[e] as JobRun).endedAt as number) <= t) busy -= (ends[e++] as JobRun).gpus;
    out.push(busy);
  }
  return out;
}

/**
 * Live use of each site from the jobs that hold its GPUs, and its history, both read from the job records: the
 * history is how many GPUs running jobs held over time (each job's start and end), so it survives restarts and
 * needs no sampling. A job requeued to another site after its first site was lost counts at the site it ran last.
 */
export class SiteUsageTracker {
  constructor(
    readonly registry: RegistryStore,
    readonly jobs: JobStore,
  ) {}

  async bySite(): Promise<Map<string, SiteUsage>> {
    const sites = await everyItem((p) => this.registry.listSites(p));
    const active = await everyItem((p) => this.jobs.listJobs({ states: ACTIVE_STATES }, p));
    const out = new Map<string, SiteUsage>();
    for (const s of sites) {
      const here = active.filter((j) => j.siteId === s.id);
      out.set(s.id, {
        gpusTotal: gpusOf(s),
        gpusBusy: here.reduce((a, j) => a + j.spec.resources.gpus, 0),
        queued: here.filter((j) => j.state !== 'running').length,
        running: here.filter((j) => j.state === 'running').length,
      });
    }
    return out;
  }

  /**
   * Samples from `since` to `until` at a whole-minute step (at most MAX_SAMPLES of them, the last at `until`),
   * against the site's present capacity. Empty for an unknown site.
   */
  async history(siteId: string, since: number, until: number): Promise<UsageSample[]> {
    const site = await this.registry.getSite(siteId);
    if (!site || until < since) return [];
    const gpusTotal = gpusOf(site);
    const step = Math.max(MINUTE, Math.ceil((until - since) / (MAX_SAMPLES - 1) / MINUTE) * MINUTE);
    const times: number[] = [];
    for (let t = Math.ceil(since / step) * step; t < until; t += step) times.push(t);
    times.push(until);
    const busy = busyAt(await this.jobs.listRuns(siteId, since), times);
    return times.map((at, i) => ({ at, gpusBusy: busy[i] as number, gpusTotal }));
  }
}
