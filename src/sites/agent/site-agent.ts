import { randomUUID } from 'node:crypto';
import { type Clock, HetaoError, isHetaoError } from '../../core/index.js';
import type { ExecutionHandle, ExecutionStatus, Executor } from '../executors/index.js';
import { isRetryableExecutorError, isTerminal } from '../executors/index.js';
import type { ExchangeClient } from './exchange-client.js';

interface JobView {
  id: string;
  spec: {
    run: string;
    env: Record<string, string>;
    resources: { gpus: number; cpus: number; memoryGb: number; timeLimitMinutes: number | null };
  };
}

interface Grant {
  jobId: string;
  attempt: number;
  attemptId: string;
  leaseToken: number;
  job: JobView;
  /** The limit of this attempt, s (shorter than the spec's after runs that were stopped); null or absent: the spec's. */
  runLimitSeconds?: number | null;
}

interface Tracked {
  grant: Grant;
  handle: ExecutionHandle | null;
  logOffset: number;
  reportedRunning: boolean;
  /** Attempts before this one at this site are known to have ended (checked once, before the first submit). */
  earlierStopped?: boolean;
  /** Status checks made since submit, and when (performance.now() ms) the next one is due. */
  checks?: number;
  nextCheckAt?: number;
  /** The exchange said its lease is gone (or the user cancelled): it must not start, or must stop. */
  fenced?: boolean;
}

/**
 * Delay before an attempt's n-th status check (n = 0 right after submit): 0, 25, 50, 100 ms, then every pollMs.
 * Short jobs are seen starting and ending within tens of ms; long ones cost one check per pollMs.
 */
export function statusCheckDelayMs(n: number, pollMs: number): number {
  return n <= 0 ? 0 : Math.min(pollMs, 25 * 2 ** (n - 1));
}

export interface SiteAgentOptions {
  readonly client: ExchangeClient;
  readonly siteId: string;
  readonly executor: Executor;
  readonly clock: Clock;
  /** Called with one line per notable event (started, ended, fenced). Default: silent. */
  readonly log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** How often running attempts are polled and logs shipped, ms. Default 200. */
  readonly pollMs?: number;
  /** Long-poll wait for new work, ms. Default 10,000. */
  readonly leaseWaitMs?: number;
  /** Default time limit for jobs that set none, s. Default 24 h. */
  readonly defaultTimeLimitS?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A compute centre's agent: leases work from the exchange, runs each attempt on the site's executor, reports its
 * states under the lease's fencing token with deterministic message ids (so retries are idempotent), streams its
 * logs, and heartbeats. On start it re-attaches to attempts it held before a crash. An attempt whose lease is
 * fenced, or that it could not renew for a whole lease period, is cancelled: a job never runs twice at once.
 */
export class SiteAgent {
  readonly #o: Required<Omit<SiteAgentOptions, 'log'>> & Pick<SiteAgentOptions, 'log'>;
  readonly #tracked = new Map<string, Tracked>();
  #running = false;
  #loops: Promise<void>[] = [];
  #ttlMs = 30_000;
  #heartbeatMs = 7_500;
  #lastRenewed = 0;
  readonly #stopping = new AbortController();
  #wakePoll: (() => void) | null = null;
  #pollAgain = false;

  constructor(options: SiteAgentOptions) {
    this.#o = { pollMs: 200, leaseWaitMs: 10_000, defaultTimeLimitS: 86_400, ...options };
  }

  get active(): number {
    return this.#tracked.size;
  }

  async start(): Promise<void> {
    const { client, siteId, executor } = this.#o;
    const reg = await client.call<{ leaseTtlMs: number; heartbeatMs: number }>('POST', '/agent/register', {
      siteId,
      executor: executor.kind,
    });
    this.#ttlMs = reg.body.leaseTtlMs;
    this.#heartbeatMs = reg.body.heartbeatMs;
    this.#lastRenewed = this.#o.clock.now();
    await this.#reattach();
    this.#running = true;
    this.#loops = [this.#leaseLoop(), this.#pollLoop(), this.#heartbeatLoop(), this.#watchdogLoop()];
  }

  /** Stops leasing and supervising; attempts keep running on the executor and are re-attached by the next start. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopping.abort();
    this.#wake();
    await Promise.allSettled(this.#loops);
  }

  async #reattach(): Promise<void> {
    const { client, siteId, executor } = this.#o;
    const res = await client.call<{ items: (Grant & { state: string })[]; stop?: string[] }>(
      'GET',
      `/agent/assignments?siteId=${encodeURIComponent(siteId)}`,
    );
    // Attempts the exchange no longer has here (cancelled or requeued while this agent was down) are stopped.
    for (const attemptId of res.body.stop ?? []) {
      const handle = await executor.find(attemptId);
      if (!handle) continue;
      const st = await executor.status(handle);
      if (isTerminal(st.state)) continue;
      await executor.cancel(handle);
      this.#o.log?.('stopped an attempt the exchange no longer has here', { attemptId });
    }
    for (const a of res.body.items) {
      const handle = await executor.find(a.attemptId);
      const t: Tracked = { grant: a, handle: handle ?? null, logOffset: 0, reportedRunning: a.state === 'running' };
      this.#tracked.set(a.jobId, t);
      if (handle) {
        await executor.reattach(handle);
        this.#o.log?.('re-attached', { jobId: a.jobId, attemptId: a.attemptId });
      } else if (a.state === 'dispatched') {
        await this.#submit(t);
      } else {
        await this.#report(t, 'failed', { exitCode: -1 });
        this.#tracked.delete(a.jobId);
      }
    }
  }

  async #leaseLoop(): Promise<void> {
    const { client, siteId } = this.#o;
    // One Idempotency-Key per lease asked for, kept across the retries of that ask: when a grant is lost on the
    // way back (the connection broke), the retry gets that same grant instead of leaving it to lapse.
    let key: string | null = null;
    while (this.#running) {
      key ??= randomUUID();
      try {
        const res = await client.call<Grant>(
          'POST',
          '/agent/lease',
          { siteId, waitMs: this.#o.leaseWaitMs },
          this.#o.leaseWaitMs + 10_000,
          this.#stopping.signal,
          { 'idempotency-key': `"${key}"` },
        );
        key = null;
        if (res.status === 204 || !this.#running) continue;
        const t: Tracked = { grant: res.body, handle: null, logOffset: 0, reportedRunning: false };
        this.#tracked.set(res.body.jobId, t);
        await this.#submit(t);
      } catch (err) {
        if (!this.#running) return;
        // Kept only when the answer may be on its way: the connection failed, or the first try is still running.
        // Any other answer (including an exchange that stopped mid-request: outcome unknown) asks anew.
        if (isHetaoError(err) && err.code !== 'HETAO_API_IDEMPOTENCY_IN_FLIGHT') key = null;
        this.#o.log?.('lease failed', { err: String(err) });
        await sleep(1000);
      }
    }
  }

  /** Whether `t` is still the attempt this agent follows for its job (not fenced, not replaced by a newer one). */
  #current(t: Tracked): boolean {
    return !t.fenced && this.#tracked.get(t.grant.jobId) === t;
  }

  async #submit(t: Tracked): Promise<void> {
    const r = t.grant.job.spec.resources;
    if (!this.#current(t)) return;
    if (!(await this.#stopEarlierAttempts(t))) return; // the poll loop tries again
    try {
      const handle = await this.#o.executor.submit({
        attemptId: t.grant.attemptId,
        jobId: t.grant.jobId,
        command: t.grant.job.spec.run,
        env: { ...t.grant.job.spec.env, HETAO_JOB_ID: t.grant.jobId, HETAO_ATTEMPT: String(t.grant.attempt) },
        gpus: Math.ceil(r.gpus),
        cpus: Math.max(1, Math.ceil(r.cpus)),
        memoryGb: r.memoryGb,
        timeLimitSeconds:
          t.grant.runLimitSeconds ??
          (r.timeLimitMinutes === null ? this.#o.defaultTimeLimitS : r.timeLimitMinutes * 60),
      });
      if (!this.#current(t)) {
        // Fenced while the executor was submitting it: it must not run.
        await this.#o.executor.cancel(handle).catch(() => {});
        this.#o.log?.('stopped attempt', { jobId: t.grant.jobId, why: 'fenced while submitting' });
        return;
      }
      t.handle = handle;
      this.#o.log?.('submitted', { jobId: t.grant.jobId, attemptId: t.grant.attemptId });
      t.checks = 0;
      t.nextCheckAt = 0;
      this.#wake(); // first status check right away: a short job may already be running, or over
    } catch (err) {
      if (isRetryableExecutorError(err)) return; // the poll loop submits again (submits are idempotent per attempt)
      this.#o.log?.('submit refused', { jobId: t.grant.jobId, err: String(err) });
      await this.#report(t, 'failed', { exitCode: -1 });
      this.#untrack(t);
    }
  }

  /**
   * A requeued job comes back as attempt N > 1, possibly to this site while attempt N-1 still runs here (its agent
   * died and the exchange declared the site lost). Attempt N starts only once every earlier attempt this
   * executor knows of has ended: a job never runs twice at once. False while one is still stopping.
   */
  async #stopEarlierAttempts(t: Tracked): Promise<boolean> {
    if (t.earlierStopped || t.grant.attempt <= 1) return true;
    const ex = this.#o.executor;
    try {
      for (let n = 1; n < t.grant.attempt; n++) {
        const h = await ex.find(`${t.grant.jobId}-${n}`);
        if (!h || isTerminal((await ex.status(h)).state)) continue;
        this.#o.log?.('stopping an earlier attempt', { jobId: t.grant.jobId, attemptId: h.attemptId });
        await ex.cancel(h);
        if (!isTerminal((await ex.status(h)).state)) return false;
      }
    } catch (err) {
      if (!isRetryableExecutorError(err))
        this.#o.log?.('cannot stop an earlier attempt yet', { jobId: t.grant.jobId, err: String(err) });
      return false;
    }
    t.earlierStopped = true;
    return true;
  }

  async #pollLoop(): Promise<void> {
    while (this.#running) {
      let nextAt = performance.now() + this.#o.pollMs;
      for (const t of [...this.#tracked.values()]) {
        if (!this.#current(t)) continue; // fenced or replaced since this round began
        try {
          if (!t.handle) {
            await this.#submit(t);
            continue;
          }
          if ((t.nextCheckAt ?? 0) > performance.now()) continue;
          const checks = (t.checks ?? 0) + 1;
          t.checks = checks;
          t.nextCheckAt = performance.now() + statusCheckDelayMs(checks, this.#o.pollMs);
          await this.#follow(t, await this.#o.executor.status(t.handle));
        } catch (err) {
          if (!isRetryableExecutorError(err)) this.#o.log?.('poll failed', { jobId: t.grant.jobId, err: String(err) });
        } finally {
          if (this.#tracked.has(t.grant.jobId) && t.nextCheckAt !== undefined) nextAt = Math.min(nextAt, t.nextCheckAt);
        }
      }
      await this.#nap(Math.max(0, nextAt - performance.now()));
    }
  }

  /** Ends the poll loop's current wait (or skips the next one): something new is worth checking now. */
  #wake(): void {
    this.#pollAgain = true;
    this.#wakePoll?.();
  }

  #nap(ms: number): Promise<void> {
    if (this.#pollAgain || !this.#running) {
      this.#pollAgain = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.#wakePoll = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).then(() => {
      this.#wakePoll = null;
      this.#pollAgain = false;
    });
  }

  async #follow(t: Tracked, s: ExecutionStatus): Promise<void> {
    const h = t.handle as ExecutionHandle;
    if (s.state === 'pending') return;
    await this.#shipLogs(t);
    if (!t.reportedRunning && s.state !== 'lost') {
      await this.#report(t, 'running', {
        execution: {
          executor: h.kind,
          ...(h.cluster ? { cluster: h.cluster } : {}),
          ...(h.slurmJobId ? { slurmJobId: Number(h.slurmJobId) } : {}),
          handle: h,
        },
      });
      t.reportedRunning = true;
    }
    if (s.state === 'running') return;
    // A lost attempt (the executor can no longer find it) goes back to the exchange's queue, not to failed.
    await this.#report(t, s.state, {
      ...(s.exitCode === undefined ? {} : { exitCode: s.exitCode }),
      ...(s.state === 'lost' && s.reason ? { reason: s.reason.slice(0, 1024) } : {}),
    });
    this.#untrack(t);
    this.#o.log?.('ended', { jobId: t.grant.jobId, state: s.state, exitCode: s.exitCode });
  }

  async #shipLogs(t: Tracked): Promise<void> {
    if (!t.handle) return;
    for (let i = 0; i < 16; i++) {
      const chunk = await this.#o.executor.logs(t.handle, t.logOffset, 256 * 1024);
      if (chunk.nextOffset === t.logOffset) return;
      await this.#o.client.call('POST', '/agent/logs', {
        siteId: this.#o.siteId,
        jobId: t.grant.jobId,
        leaseToken: t.grant.leaseToken,
        offset: t.logOffset,
        text: chunk.text,
      });
      t.logOffset = chunk.nextOffset;
    }
  }

  async #report(t: Tracked, state: string, extra: Record<string, unknown>): Promise<void> {
    try {
      await this.#o.client.call('POST', '/agent/report', {
        siteId: this.#o.siteId,
        messageId: `${t.grant.attemptId}:${state}`,
        jobId: t.grant.jobId,
        leaseToken: t.grant.leaseToken,
        state,
        ...extra,
      });
    } catch (err) {
      if (isHetaoError(err) && err.code === 'HETAO_AGENT_FENCED') {
        await this.#fence(t, 'fenced');
        return;
      }
      throw err;
    }
  }

  async #fence(t: Tracked, why: string): Promise<void> {
    t.fenced = true;
    if (t.handle) await this.#o.executor.cancel(t.handle).catch(() => {});
    this.#untrack(t);
    this.#o.log?.('stopped attempt', { jobId: t.grant.jobId, why });
  }

  /**
   * Stops following an attempt, unless a newer attempt of the same job has taken its place meanwhile (a job
   * stopped and leased again here before the old attempt's last answer came back).
   */
  #untrack(t: Tracked): void {
    if (this.#tracked.get(t.grant.jobId) === t) this.#tracked.delete(t.grant.jobId);
  }

  async #heartbeatLoop(): Promise<void> {
    while (this.#running) {
      await sleep(Math.min(this.#heartbeatMs, 1000));
      if (this.#tracked.size === 0) {
        this.#lastRenewed = this.#o.clock.now();
        continue;
      }
      try {
        const sent = new Map([...this.#tracked.values()].map((t) => [t.grant.jobId, t] as const));
        const leases = [...sent.values()].map((t) => ({ jobId: t.grant.jobId, leaseToken: t.grant.leaseToken }));
        // Timed from the send: the exchange extends the leases when it receives the call, later than this.
        const sentAt = this.#o.clock.now();
        const res = await this.#o.client.call<{ answers: Record<string, string> }>(
          'POST',
          '/agent/heartbeat',
          { siteId: this.#o.siteId, leases },
          Math.max(1_000, Math.floor(this.#ttlMs / 3)),
          this.#stopping.signal,
        );
        this.#lastRenewed = Math.max(this.#lastRenewed, sentAt);
        // An answer is about the attempt whose lease was sent, not a newer one leased since.
        for (const [jobId, answer] of Object.entries(res.body.answers)) {
          const t = sent.get(jobId);
          if (t && answer !== 'ok') await this.#fence(t, answer);
        }
      } catch (err) {
        if (!(err instanceof HetaoError)) this.#o.log?.('heartbeat failed', { err: String(err) });
      }
    }
  }

  /**
   * Self-fencing, apart from the heartbeats (a call can hang on a connection that drops packets): once a whole
   * lease period has passed since the last renewal that went through was sent, every attempt here is stopped, for
   * the exchange may put the work elsewhere. It waits a grace period beyond the lease before it does
   * (LEASE_GRACE_MS), so the attempt here is stopped first and a job never runs at two sites at once.
   */
  async #watchdogLoop(): Promise<void> {
    while (this.#running) {
      await sleep(250);
      if (this.#tracked.size === 0 || this.#o.clock.now() - this.#lastRenewed <= this.#ttlMs) continue;
      for (const t of [...this.#tracked.values()]) await this.#fence(t, 'lease could not be renewed');
    }
  }
}
