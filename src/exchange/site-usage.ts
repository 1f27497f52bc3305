import { everyItem, type RegistryStore } from '../registry/index.js';
import type { JobStore } from '../scheduler/job-store.js';
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
  readonly gpusBusy: number;
  readonly gpusTotal: number;
}

/**
 * Live use of each site from the jobs that hold its GPUs, and a history sampled by `sample()` (the exchange calls
 * it on a timer). The history is kept in memory for `keepMs`; it restarts empty with the exchange.
 */
export class SiteUsageTracker {
  readonly #history = new Map<string, UsageSample[]>();

  constructor(
    readonly registry: RegistryStore,
    readonly jobs: JobStore,
    readonly keepMs: number = 7 * 24 * 3_600_000,
  ) {}

  async bySite(): Promise<Map<string, SiteUsage>> {
    const sites = await everyItem((p) => this.registry.listSites(p));
    const active = await everyItem((p) => this.jobs.listJobs({ states: ACTIVE_STATES }, p));
    const out = new Map<string, SiteUsage>();
    for (const s of sites) {
      const here = active.filter((j) => j.siteId === s.id);
      out.set(s.id, {
        gpusTotal: Object.values(s.gpus).reduce((a, b) => a + b, 0),
        gpusBusy: here.reduce((a, j) => a + j.spec.resources.gpus, 0),
        queued: here.filter((j) => j.state !== 'running').length,
        running: here.filter((j) => j.state === 'running').length,
      });
    }
    return out;
  }

  async sample(now: number): Promise<void> {
    for (const [id, u] of await this.bySite()) {
      const h = this.#history.get(id) ?? [];
      h.push({ at: now, gpusBusy: u.gpusBusy, gpusTotal: u.gpusTotal });
      while (h.length && (h[0] as UsageSample).at < now - this.keepMs) h.shift();
      this.#history.set(id, h);
    }
  }

  async history(siteId: string, since: number): Promise<UsageSample[]> {
    return (this.#history.get(siteId) ?? []).filter((s) => s.at >= since);
  }
}
