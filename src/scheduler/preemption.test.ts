import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TickSite } from './cluster-pools.js';
import { createFairShare, type FairShare } from './fair-share.js';
import type { RunningAllocation } from './placement-facts.js';
import { scheduleTick, type TickJob, type TickOptions } from './queue-tick.js';

const H = 3600_000;
const NOW = 10 * H;
const job = (id: string, over: Partial<TickJob> = {}): TickJob => ({
  id,
  org: 'a',
  submittedAt: NOW - 1000,
  gpus: 1,
  gpuTypes: [],
  timeLimit: H,
  priority: 0,
  allowedSites: null,
  dataJurisdiction: null,
  ...over,
});
const run = (
  jobId: string,
  org: string,
  gpus: number,
  over: { siteId?: string; priority?: number; startedAt?: number; submittedAt?: number; preemptible?: boolean } = {},
): RunningAllocation => ({
  jobId,
  org,
  siteId: over.siteId ?? 'sz',
  gpuType: 'A100',
  gpus,
  expectedEnd: NOW + H,
  ...(over.preemptible === false
    ? {}
    : {
        preemptible: {
          startedAt: over.startedAt ?? NOW - H,
          submittedAt: over.submittedAt ?? over.startedAt ?? NOW - H,
          priority: over.priority ?? 0,
        },
      }),
});
/** Site sz (8 A100) with the running jobs' GPUs taken; hk optional. */
const sitesFor = (running: readonly RunningAllocation[], hk = 0): TickSite[] => {
  const used = (s: string) => running.filter((r) => r.siteId === s).reduce((x, r) => x + r.gpus, 0);
  const out: TickSite[] = [{ id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: 8 - used('sz') }] }];
  if (hk > 0) out.push({ id: 'hk', jurisdiction: 'HK', pools: [{ type: 'A100', total: hk, free: hk - used('hk') }] });
  return out;
};
/** One hetao pass at NOW over site sz (and hk, when it has GPUs) with `running` holding their GPUs. */
const hetao = (
  running: readonly RunningAllocation[],
  queue: TickJob[],
  fairShare: FairShare | null = null,
  hk = 0,
  options?: Partial<TickOptions>,
) =>
  scheduleTick({
    now: NOW,
    scheduler: 'hetao',
    queue,
    sites: sitesFor(running, hk),
    running,
    fairShare,
    ...(options ? { options } : {}),
  });
const halves = () => createFairShare({ a: 0.5, b: 0.5 }, NOW);

describe('preemption in the queue tick', () => {
  it("reclaims borrowed GPUs for a job within its organization's share, and starts it in their place", () => {
    // a holds all 8 GPUs (4 of them borrowed); b, entitled to 4, asks for 2.
    const running = [
      run('a1', 'a', 4, { startedAt: NOW - 2 * H }),
      run('a2', 'a', 2),
      run('a3', 'a', 2, { startedAt: NOW - 60_000 }),
    ];
    const r = hetao(running, [job('b1', { org: 'b', gpus: 2 })], halves());
    // the most recently started of a's jobs goes (least work lost); a keeps its own 4 and more
    expect(r.preemptions).toEqual([
      { jobId: 'a3', org: 'a', siteId: 'sz', gpuType: 'A100', gpus: 2, forJobId: 'b1', reason: 'reclaim' },
    ]);
    expect(r.starts).toEqual([
      { jobId: 'b1', siteId: 'sz', gpuType: 'A100', gpus: 2, borrowed: false, backfilled: false, plannedAhead: false },
    ]);
  });

  it('uses free GPUs first and stops only the rest; borrowers get what is left after that', () => {
    const running = [
      run('a1', 'a', 2, { startedAt: NOW - 3 * H }),
      run('a2', 'a', 2, { startedAt: NOW - 2 * H }),
      run('a3', 'a', 2, { startedAt: NOW - H }),
    ];
    const r = hetao(
      running,
      [job('a4', { org: 'a', gpus: 2, submittedAt: NOW - 5000 }), job('b1', { org: 'b', gpus: 4 })],
      halves(),
    );
    expect(r.preemptions.map((p) => p.jobId)).toEqual(['a3']);
    expect(r.starts.map((x) => x.jobId)).toEqual(['b1']);
  });

  it('never takes GPUs reserved for a better-ranked job, though stops give some back', () => {
    // 3 GPUs free; c's job frees 1 more in 30 min, when b's 4-GPU job (within b's share) is reserved to start.
    const running = [
      run('a-low', 'a', 1, { priority: -5 }),
      { ...run('a-rest', 'a', 3, { preemptible: false }) },
      { ...run('c1', 'c', 1, { preemptible: false }), expectedEnd: NOW + H / 2 },
    ];
    const tick = (queue: TickJob[]) => hetao(running, queue, halves());
    const both = tick([
      job('b4', { org: 'b', gpus: 4, timeLimit: H, submittedAt: NOW - 2 * H }),
      job('a4', { org: 'a', gpus: 4, priority: 5, timeLimit: 2 * H }),
    ]);
    expect(both.reservations.map((r) => [r.jobId, r.at])).toEqual([['b4', NOW + H / 2]]);
    expect(both.preemptions).toEqual([]);
    expect(both.starts).toEqual([]);
    // without b's reservation in the way, a's urgent job stops a's own low-priority one
    const alone = tick([job('a4', { org: 'a', gpus: 4, priority: 5, timeLimit: 2 * H })]);
    expect(alone.preemptions.map((p) => [p.jobId, p.reason])).toEqual([['a-low', 'priority']]);
  });

  it("is not held back by the claimant's own reservation, which it no longer needs once it starts", () => {
    // a's borrowed GPUs free in 30 min anyway, which is when b's job is reserved; b is entitled to them now.
    const running = [
      ...[1, 2, 3, 4].map((i) => ({ ...run(`a${i}`, 'a', 1), expectedEnd: NOW + H / 2 })),
      { ...run('a5', 'a', 4, { preemptible: false }), expectedEnd: NOW + 3 * H },
    ];
    const r = hetao(running, [job('b1', { org: 'b', gpus: 4, timeLimit: 2 * H })], halves());
    expect(r.preemptions.map((p) => p.jobId).sort()).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(r.starts.map((x) => x.jobId)).toEqual(['b1']);
    expect(r.reservations).toEqual([]);
  });

  it("drops a starting claimant's reservation, so a lower-ranked job's reservation made after it does not block it", () => {
    // a has no share: its preemptible job is all borrowed. b1 and b2 both reserve; b1 (ranked first) reclaims.
    const running = [
      { ...run('v1', 'a', 4, { startedAt: NOW - 60_000 }), expectedEnd: NOW + H },
      { ...run('x', 'c', 4, { preemptible: false }), expectedEnd: NOW + H / 2 },
    ];
    const r = hetao(
      running,
      [
        job('b1', { org: 'b', gpus: 4, timeLimit: 2 * H, submittedAt: NOW }),
        job('b2', { org: 'b', gpus: 2, timeLimit: 5 * H, submittedAt: NOW }),
      ],
      createFairShare({ b: 0.5, c: 0.5 }, NOW),
    );
    expect(r.preemptions.map((p) => [p.jobId, p.forJobId])).toEqual([['v1', 'b1']]);
    expect(r.starts.map((x) => x.jobId)).toEqual(['b1']);
    expect(r.reservations.map((x) => x.jobId)).toEqual(['b2']);
  });

  it('does not let an organization reclaimed from this tick drop below its share by a priority stop of its own', () => {
    // c holds 3 of its 2-GPU share; b reclaims c's 1-GPU job. c's own urgent job may then not stop c's 2-GPU one.
    const running = [
      run('r0', 'c', 1, { startedAt: NOW }),
      run('r1', 'c', 2, { priority: -1, startedAt: NOW }),
      run('r2', 'a', 5, { preemptible: false }),
    ];
    const r = hetao(
      running,
      [job('q0', { org: 'b', gpus: 1 }), job('q1', { org: 'c', gpus: 1 })],
      createFairShare({ a: 0.5, b: 0.25, c: 0.25 }, NOW),
    );
    expect(r.preemptions.map((p) => [p.jobId, p.reason])).toEqual([['r0', 'reclaim']]);
  });

  it('reclaims only for a job that stays within its own share', () => {
    // c has no share: all it holds is borrowed, and it is preemptible. b (share 2 of 8) asks for 3: over its share.
    const running = [run('c1', 'c', 3), run('a1', 'a', 5, { preemptible: false })];
    const fs = createFairShare({ a: 0.5, b: 0.25 }, NOW);
    const ask = (gpus: number) => hetao(running, [job('b', { org: 'b', gpus })], fs).preemptions.map((p) => p.jobId);
    expect(ask(3)).toEqual([]);
    expect(ask(2)).toEqual(['c1']);
  });

  it('never takes an organization below its share, never stops a job that is not preemptible, never without shares', () => {
    // a holds 6 of 8 (2 borrowed): stopping a1 would leave it 2, under its 4
    const running = [run('a1', 'a', 4), run('a2', 'a', 2, { preemptible: false })];
    const ask = (fairShare: ReturnType<typeof halves> | null, gpus: number, org = 'b') =>
      hetao(running, [job('x', { org, gpus })], fairShare);
    expect(ask(halves(), 4).preemptions).toEqual([]);
    expect(ask(halves(), 2).starts.map((x) => x.jobId)).toEqual(['x']);
    expect(ask(null, 4).preemptions).toEqual([]);
    // a job of an organization with no share borrows: it reclaims nothing
    expect(ask(createFairShare({ a: 0.5 }, NOW), 4).preemptions).toEqual([]);
    // b asking past its own share reclaims nothing either
    const six = [run('a1', 'a', 6)];
    const over = hetao(six, [job('x', { org: 'b', gpus: 6 })], halves());
    expect(over.preemptions).toEqual([]);
  });

  it('stops lower-priority jobs of the same organization only, lowest priority first', () => {
    const running = [
      run('low', 'a', 4, { priority: -5 }),
      run('mid', 'a', 2, { priority: 0 }),
      run('other', 'b', 2, { priority: -10 }),
    ];
    const r = hetao(running, [job('urgent', { priority: 5, gpus: 4 })]);
    expect(r.preemptions.map((p) => [p.jobId, p.reason])).toEqual([['low', 'priority']]);
    expect(r.starts.map((s) => s.jobId)).toEqual(['urgent']);
    // equal priority stops nothing
    const same = hetao([run('mid', 'a', 8)], [job('peer', { priority: 0, gpus: 4 })]);
    expect(same.preemptions).toEqual([]);
  });

  it('lets a job that waited long outrank newcomers of higher priority: a stream of them cannot stop it for ever', () => {
    const ask = (submittedAt: number) => {
      const running = [run('old', 'a', 8, { priority: -2, submittedAt, startedAt: NOW - 60_000 })];
      return hetao(running, [job('new', { priority: 2, gpus: 4, submittedAt: NOW })]).preemptions.map((p) => p.jobId);
    };
    expect(ask(NOW - 60_000)).toEqual(['old']); // four steps apart, barely aged
    expect(ask(NOW - 2.5 * H)).toEqual([]); // aged five steps: now above the newcomer
  });

  it('never lets jobs of equal priority stop each other, however long one has waited', () => {
    const running = [run('newer', 'a', 8, { submittedAt: NOW - 60_000, startedAt: NOW - 60_000 })];
    const r = hetao(running, [job('older', { gpus: 4, submittedAt: NOW - 5 * H })]);
    expect(r.preemptions).toEqual([]);
  });

  it('stops nobody when the stops would not make room, and takes the pool where the fewest GPUs stop', () => {
    const running = [run('a1', 'a', 2, { priority: -1 }), run('a2', 'a', 6, { preemptible: false })];
    const none = hetao(running, [job('j', { priority: 3, gpus: 4 })]);
    expect(none.preemptions).toEqual([]);
    expect(none.starts).toEqual([]);
    const two = [
      run('sz1', 'a', 8, { priority: -1 }),
      run('hk1', 'a', 4, { siteId: 'hk', priority: -1 }),
      run('hk2', 'a', 2, { siteId: 'hk', priority: -1, startedAt: NOW - 60_000 }),
    ];
    const r = hetao(two, [job('j', { priority: 3, gpus: 4 })], null, 8);
    // hk has 2 free: stopping hk2 (2 GPUs, the most recent there) is enough; sz would need all 8 stopped
    expect(r.preemptions.map((p) => p.jobId)).toEqual(['hk2']);
    expect(r.starts.map((s) => [s.jobId, s.siteId])).toEqual([['j', 'hk']]);
  });

  it('fifo and greedy never preempt; hetao does not when preemption is off', () => {
    const running = [run('low', 'a', 8, { priority: -5 })];
    for (const scheduler of ['fifo', 'greedy'] as const)
      expect(
        scheduleTick({ now: NOW, scheduler, queue: [job('u', { priority: 5 })], sites: sitesFor(running), running })
          .preemptions,
      ).toEqual([]);
    const off = hetao(running, [job('u', { priority: 5 })], null, 0, { preemption: false });
    expect(off.preemptions).toEqual([]);
  });

  it('over random clusters: capacity holds, every stop is by one of the two rules, and frees room for its claimant', () => {
    const orgs = ['a', 'b', 'c'];
    const arb = fc.record({
      running: fc.array(
        fc.record({
          org: fc.constantFrom(...orgs),
          gpus: fc.integer({ min: 1, max: 4 }),
          priority: fc.integer({ min: -3, max: 3 }),
          preemptible: fc.boolean(),
          started: fc.integer({ min: 0, max: 1000 }),
        }),
        { maxLength: 8 },
      ),
      queue: fc.array(
        fc.record({
          org: fc.constantFrom(...orgs),
          gpus: fc.integer({ min: 1, max: 8 }),
          priority: fc.integer({ min: -3, max: 3 }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      shares: fc.boolean(),
    });
    fc.assert(
      fc.property(arb, ({ running: rs, queue: qs, shares }) => {
        // fill sz (8 GPUs) in order; what does not fit is dropped
        let used = 0;
        const running: RunningAllocation[] = [];
        rs.forEach((x, i) => {
          if (used + x.gpus > 8) return;
          used += x.gpus;
          running.push(
            run(`r${i}`, x.org, x.gpus, {
              priority: x.priority,
              preemptible: x.preemptible,
              startedAt: NOW - x.started,
            }),
          );
        });
        const queue = qs.map((q, i) => job(`q${i}`, { ...q }));
        const fs = shares ? createFairShare({ a: 0.5, b: 0.25, c: 0.25 }, NOW) : null;
        const r = hetao(running, queue, fs);
        expect(new Set(r.starts.map((x) => x.jobId)).size).toBe(r.starts.length);
        const stopped = new Set(r.preemptions.map((p) => p.jobId));
        const keep = running.filter((x) => !stopped.has(x.jobId));
        const startedGpus = r.starts.reduce((x, s) => x + s.gpus, 0);
        expect(keep.reduce((x, k) => x + k.gpus, 0) + startedGpus).toBeLessThanOrEqual(8);
        const quota = (org: string) => (fs ? (fs.quotas.get(org) ?? 0) * 8 : Number.POSITIVE_INFINITY);
        const heldAfter = new Map<string, number>();
        for (const k of keep) heldAfter.set(k.org, (heldAfter.get(k.org) ?? 0) + k.gpus);
        for (const st of r.starts) {
          const org = (queue.find((q) => q.id === st.jobId) as TickJob).org;
          heldAfter.set(org, (heldAfter.get(org) ?? 0) + st.gpus);
        }
        for (const p of r.preemptions) {
          const victim = running.find((x) => x.jobId === p.jobId) as RunningAllocation;
          const claimant = queue.find((q) => q.id === p.forJobId) as TickJob;
          expect(victim.preemptible).toBeDefined();
          expect(r.starts.some((s) => s.jobId === p.forJobId)).toBe(true);
          if (p.reason === 'priority') {
            expect(victim.org).toBe(claimant.org);
            const aged = (priority: number, submittedAt: number) => priority + (2 * (NOW - submittedAt)) / H;
            const v = victim.preemptible as NonNullable<RunningAllocation['preemptible']>;
            expect(aged(v.priority, v.submittedAt)).toBeLessThan(aged(claimant.priority, claimant.submittedAt));
            expect(v.priority).toBeLessThan(claimant.priority);
          } else {
            expect(fs).not.toBeNull();
            expect(victim.org).not.toBe(claimant.org);
            // the victim's organization keeps at least its share
            expect(heldAfter.get(victim.org) ?? 0).toBeGreaterThanOrEqual(quota(victim.org) - 1e-9);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
