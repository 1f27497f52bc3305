import type { Clock } from '../core/index.js';

/**
 * How long a site's agent may go without calling the exchange before the site is given no new work, ms: a lease
 * and its grace (LEASE_TTL_MS + LEASE_GRACE_MS), so work requeued from a lost site is not placed there again. A
 * live agent calls far more often: every second while it waits for work, every quarter lease while it runs some.
 */
export const SITE_SILENT_AFTER_MS = 40_000;

/** A site whose agent is not calling: since when, and whether it has called at all since the exchange started. */
export interface Silence {
  readonly since: number;
  readonly never: boolean;
}

/**
 * When each site's agent last called the exchange (register, lease, heartbeat, report, log). A site whose agent
 * has been silent for `silentAfterMs` is given no new work: queued jobs are not placed there, and jobs placed
 * there but not leased go back to the queue. Kept in memory: after an exchange restart every site counts as heard from at the
 * restart, so each agent has the same time to call again.
 */
export class SitePresence {
  readonly #heard = new Map<string, number>();
  readonly #start: number;

  constructor(
    readonly clock: Clock,
    readonly silentAfterMs: number = SITE_SILENT_AFTER_MS,
  ) {
    this.#start = clock.now();
  }

  heard(siteId: string): void {
    this.#heard.set(siteId, this.clock.now());
  }

  /** When the site's agent last called, or null when it has not since the exchange started. */
  lastHeard(siteId: string): number | null {
    return this.#heard.get(siteId) ?? null;
  }

  /** Null while the site's agent calls often enough; otherwise since when it has been silent. */
  silence(siteId: string, now: number = this.clock.now()): Silence | null {
    const last = this.#heard.get(siteId);
    const since = last ?? this.#start;
    return now - since > this.silentAfterMs ? { since, never: last === undefined } : null;
  }
}

/** The reason a silent site is given no work, for explanations: "Qianhai: takes no new work: ...". */
export function silenceReason(name: string, s: Silence): string {
  const at = new Date(s.since).toISOString();
  return s.never
    ? `${name}: takes no new work: its agent has not called the exchange since it started (${at})`
    : `${name}: takes no new work: its agent has been silent since ${at}`;
}
