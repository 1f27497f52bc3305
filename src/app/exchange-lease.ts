import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { HetaoError } from '../core/index.js';
import type { ProcessLeaseStore } from '../store/index.js';

/** How long the exchange's lease on its database lasts unless renewed, ms; it is renewed every third of that. */
export const EXCHANGE_LEASE_TTL_MS = 30_000;

interface Holder {
  readonly id: string;
  readonly pid: number;
  readonly host: string;
  readonly since: number;
}

function parseHolder(text: string): Holder | null {
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.id === 'string' ? (h as Holder) : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid runs on this machine (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ExchangeLease {
  /** Gives the lease up (at shutdown) and stops renewing it. */
  release(): Promise<void>;
}

/**
 * Holds the `exchange` lease on the database for as long as this exchange runs: the scheduler's per-organization
 * queues, the ledger drain and site presence live in one process, so a second exchange on the same database is
 * refused at start (HETAO_STORE_IN_USE) instead of running beside the first. A holder on this machine whose
 * process is gone (killed, crashed) is taken over at once; one elsewhere, once its lease expires. If renewal
 * finds the lease taken (this process stalled past the lease), `onLost` is told, and the exchange stops.
 */
export async function holdExchangeLease(
  leases: ProcessLeaseStore,
  now: () => number,
  onLost: (holder: string) => void,
  ttlMs = EXCHANGE_LEASE_TTL_MS,
): Promise<ExchangeLease> {
  const me = JSON.stringify({ id: randomUUID(), pid: process.pid, host: hostname(), since: now() });
  let c = await leases.claim('exchange', me, now(), ttlMs);
  if (!c.held) {
    const other = parseHolder(c.holder);
    if (other && other.host === hostname() && !alive(other.pid))
      c = await leases.claim('exchange', me, now(), ttlMs, c.holder);
  }
  if (!c.held) {
    const other = parseHolder(c.holder);
    const who = other
      ? `process ${other.pid} on ${other.host}, since ${new Date(other.since).toISOString()}`
      : c.holder;
    throw new HetaoError(
      'HETAO_STORE_IN_USE',
      `another exchange holds this database (${who}) until ${new Date(c.expiresAt).toISOString()}; stop it first, or point this one at another database`,
    );
  }
  let stopped = false;
  const timer = setInterval(
    () => {
      leases.claim('exchange', me, now(), ttlMs).then(
        (r) => {
          if (!r.held && !stopped) {
            stopped = true;
            clearInterval(timer);
            onLost(r.holder);
          }
        },
        () => {}, // the database is unreachable for now: the next renewal tries again
      );
    },
    Math.floor(ttlMs / 3),
  );
  timer.unref();
  return {
    async release() {
      stopped = true;
      clearInterval(timer);
      await leases.release('exchange', me);
    },
  };
}
