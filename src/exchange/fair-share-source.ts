import { everyItem, type RegistryStore } from '../registry/index.js';
import { DEFAULT_HALF_LIFE_MS, type FairShare } from '../scheduler/fair-share.js';
import type { JobStore } from '../scheduler/job-store.js';

export interface FairShareOptions {
  /** Usage half-life, ms. Default 7 days. */
  readonly halfLifeMs?: number;
  /** Usage is re-read from the job records at most this often, ms (it moves on the scale of the half-life). Default 60 s. */
  readonly usageRefreshMs?: number;
}

/** Runs older than this many half-lives weigh under 0.4% of their use and are not read. */
const HORIZON_HALF_LIVES = 8;

/**
 * The exchange's fair share for each scheduling pass. Shares are the organizations' `gpuShare` in the registry,
 * read at every pass so an operator's change applies at the next one. Usage is derived from the job records, not
 * kept beside them, so it survives restarts and needs no bookkeeping: each run that ended within the horizon
 * counts its GPU-time at its end, decayed by the half-life since (as the simulator records it). Null when no
 * organization has a share: then nobody borrows and fair share does not reorder the queue.
 */
export class FairShareSource {
  readonly #halfLife: number;
  readonly #refresh: number;
  #usage: { readonly at: number; readonly byOrg: ReadonlyMap<string, number> } | null = null;

  constructor(
    readonly registry: RegistryStore,
    readonly jobs: JobStore,
    o: FairShareOptions = {},
  ) {
    this.#halfLife = o.halfLifeMs ?? DEFAULT_HALF_LIFE_MS;
    this.#refresh = o.usageRefreshMs ?? 60_000;
  }

  async current(now: number): Promise<FairShare | null> {
    const orgs = await everyItem((p) => this.registry.listOrganizations(p));
    const quotas = new Map<string, number>();
    for (const o of orgs) if (o.gpuShare > 0) quotas.set(o.id, o.gpuShare);
    if (quotas.size === 0) return null;
    const cached = this.#usage;
    const fresh = cached !== null && now >= cached.at && now - cached.at < this.#refresh;
    const usage = fresh ? cached : { at: now, byOrg: await this.#read(now) };
    this.#usage = usage;
    return { quotas, usage: usage.byOrg, asOf: usage.at, halfLife: this.#halfLife };
  }

  async #read(now: number): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const r of await this.jobs.listUsage(now - HORIZON_HALF_LIVES * this.#halfLife)) {
      if (r.endedAt > now) continue;
      const ranMs = (r.startedAt === null ? 0 : Math.max(0, r.endedAt - r.startedAt)) + Math.max(0, r.priorRunMs);
      const gpuMs = r.gpus * ranMs * 2 ** (-(now - r.endedAt) / this.#halfLife);
      if (gpuMs > 0) out.set(r.orgId, (out.get(r.orgId) ?? 0) + gpuMs);
    }
    return out;
  }
}
