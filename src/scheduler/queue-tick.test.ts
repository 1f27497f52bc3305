import { describe, expect, it } from 'vitest';
import type { TickSite } from './cluster-pools.js';
import { createFairShare, decayUsage, recordUsage } from './fair-share.js';
import type { RunningAllocation } from './placement-facts.js';
import { scheduleTick, type TickJob } from './queue-tick.js';

const H = 3600_000;
const sites: TickSite[] = [
  { id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: 8 }] },
  { id: 'hk', jurisdiction: 'HK', pools: [{ type: 'A100', total: 8, free: 8 }] },
];
const job = (id: string, over: Partial<TickJob> = {}): TickJob => ({
  id,
  org: 'a',
  submittedAt: 0,
  gpus: 1,
  gpuTypes: [],
  timeLimit: H,
  priority: 0,
  allowedSites: null,
  dataJurisdiction: null,
  ...over,
});
const free = (sz: number, hk: number): TickSite[] => [
  { id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: sz }] },
  { id: 'hk', jurisdiction: 'HK', pools: [{ type: 'A100', total: 8, free: hk }] },
];

// EASY is a rank-order policy: the plan (which reserves every job of its window that it holds back) is off.
const EASY = { reservationsPerPool: 1, planWindow: 0 };

describe('scheduleTick', () => {
  it('fifo blocks at the head; greedy starts anything that fits, in submit order', () => {
    const queue = [job('big', { gpus: 8, submittedAt: 0 }), job('small', { gpus: 1, submittedAt: 1 })];
    const s = free(4, 4);
    expect(scheduleTick({ now: 10, scheduler: 'fifo', queue, sites: s, running: [] }).starts).toEqual([]);
    expect(
      scheduleTick({ now: 10, scheduler: 'greedy', queue, sites: s, running: [] }).starts.map((x) => x.jobId),
    ).toEqual(['small']);
  });

  it('hetao runs short jobs first and keeps residency and GPU type constraints', () => {
    const queue = [
      job('long', { timeLimit: 10 * H, gpus: 8 }),
      job('short', { timeLimit: H, gpus: 8, allowedSites: new Set(['hk']) }),
      job('typed', { gpuTypes: ['H800'] }),
    ];
    const r = scheduleTick({ now: 0, scheduler: 'hetao', queue, sites, running: [] });
    expect(r.starts.map((x) => [x.jobId, x.siteId])).toEqual([
      ['short', 'hk'],
      ['long', 'sz'],
    ]);
    expect(r.unplaceable).toEqual(['typed']);
  });

  it('plans the head of the queue as a whole: holds back a long narrow job that would block wider ones', () => {
    // One 8-GPU site. The 1-GPU job (1,000 s, 1,000 GPU-s) ranks before three 8-GPU jobs (150 s, 1,200 GPU-s):
    // in rank order it starts now and all three wait for it; planned together, they run first.
    const one: TickSite[] = [{ id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: 8 }] }];
    const S = 1000;
    const queue = [
      job('narrow', { gpus: 1, timeLimit: 1000 * S }),
      job('w1', { gpus: 8, timeLimit: 150 * S, submittedAt: 1 }),
      job('w2', { gpus: 8, timeLimit: 150 * S, submittedAt: 2 }),
      job('w3', { gpus: 8, timeLimit: 150 * S, submittedAt: 3 }),
    ];
    const rank = scheduleTick({
      now: 0,
      scheduler: 'hetao',
      queue,
      sites: one,
      running: [],
      options: { planWindow: 0 },
    });
    expect(rank.starts.map((s) => s.jobId)).toEqual(['narrow']);
    expect(rank.heldByPlan).toEqual([]);

    const r = scheduleTick({ now: 0, scheduler: 'hetao', queue, sites: one, running: [] });
    // w1 starts ahead of narrow, which ranks before it.
    expect(r.starts.map((s) => [s.jobId, s.plannedAhead, s.backfilled])).toEqual([['w1', true, false]]);
    expect(r.heldByPlan).toEqual(['narrow']);
    expect(r.reservations.map((x) => [x.jobId, x.at / S])).toEqual([
      ['w2', 150],
      ['w3', 300],
      ['narrow', 450],
    ]);
  });

  it('EASY backfill: short jobs run ahead of a reservation only when they do not delay it', () => {
    const running: RunningAllocation[] = [
      { jobId: 'r', org: 'x', siteId: 'sz', gpuType: 'A100', gpus: 6, expectedEnd: 2 * H },
    ];
    const one: TickSite[] = [{ id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: 2 }] }];
    const queue = [
      job('head', { gpus: 8, timeLimit: H, submittedAt: 0 }),
      job('fits-before', { gpus: 2, timeLimit: H, submittedAt: 1 }),
      job('too-long', { gpus: 2, timeLimit: 3 * H, submittedAt: 2 }),
    ];
    // head ranks first by GPU-time only once aged; make it first by priority
    const q = [{ ...(queue[0] as TickJob), priority: 10 }, ...queue.slice(1)];
    const r = scheduleTick({ now: 0, scheduler: 'hetao', queue: q, sites: one, running });
    expect(r.reservations).toEqual([
      { jobId: 'head', siteId: 'sz', gpuType: 'A100', at: 2 * H },
      // the next blocked job is protected too (conservative backfill): it runs once head's limit has passed
      { jobId: 'too-long', siteId: 'sz', gpuType: 'A100', at: 3 * H },
    ]);
    expect(r.starts.map((s) => [s.jobId, s.backfilled])).toEqual([['fits-before', true]]);
    // EASY (one reservation per pool) protects only the head
    const easy = scheduleTick({ now: 0, scheduler: 'hetao', queue: q, sites: one, running, options: EASY });
    expect(easy.reservations.map((x) => x.jobId)).toEqual(['head']);
  });

  it('conservative backfill: a long job may not take the spare capacity a second blocked job counts on', () => {
    // 8 GPUs, 6 busy until 1 h. mid (4 GPUs) is blocked; a long 2-GPU job fits now and outlives mid's start.
    const running: RunningAllocation[] = [
      { jobId: 'r', org: 'x', siteId: 'sz', gpuType: 'A100', gpus: 6, expectedEnd: H },
    ];
    const one: TickSite[] = [{ id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: 2 }] }];
    const queue = [
      job('mid', { gpus: 4, timeLimit: H, priority: 10 }),
      job('long', { gpus: 2, timeLimit: 10 * H, priority: 0 }),
    ];
    // EASY: mid reserves at 1 h with 4 spare GPUs then; long (2 GPUs) outlives the shadow but fits in the spare.
    const easy = scheduleTick({ now: 0, scheduler: 'hetao', queue, sites: one, running, options: EASY });
    expect(easy.starts.map((s) => s.jobId)).toEqual(['long']);
    // A second wide job ranked between them needs the spare too: EASY lets long take it, conservative does not.
    const q2 = [queue[0] as TickJob, job('wide', { gpus: 4, timeLimit: H, priority: 8 }), queue[1] as TickJob];
    const e2 = scheduleTick({ now: 0, scheduler: 'hetao', queue: q2, sites: one, running, options: EASY });
    expect(e2.starts.map((s) => s.jobId)).toEqual(['long']);
    const c2 = scheduleTick({ now: 0, scheduler: 'hetao', queue: q2, sites: one, running });
    expect(c2.reservations.map((x) => [x.jobId, x.at])).toEqual([
      ['mid', H],
      ['wide', H],
      ['long', 2 * H],
    ]);
    expect(c2.starts).toEqual([]);
  });

  it('an over-committed pool starts nothing until the surplus has ended, and plans with it', () => {
    // 8 GPUs, 10 running (2 withdrawn under them): 4 end at 1 h, 6 at 5 h. At 1 h only 2 are free: the 2-GPU
    // job (first in rank order) is planned then, and the 4-GPU job at 5 h (counting the surplus as free, it
    // would be at 1.5 h).
    const over: TickSite[] = [{ id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: -2 }] }];
    const running: RunningAllocation[] = [
      { jobId: 'r1', org: 'x', siteId: 'sz', gpuType: 'A100', gpus: 4, expectedEnd: H },
      { jobId: 'r2', org: 'x', siteId: 'sz', gpuType: 'A100', gpus: 6, expectedEnd: 5 * H },
    ];
    const queue = [job('wide', { gpus: 4, timeLimit: H }), job('two', { gpus: 2, timeLimit: 30 * 60_000 })];
    for (const options of [EASY, {}]) {
      const r = scheduleTick({ now: 0, scheduler: 'hetao', queue, sites: over, running, options });
      expect(r.starts).toEqual([]);
      const at = new Map(r.reservations.map((x) => [x.jobId, x.at]));
      expect(at.get('two')).toBe(H);
      if (options !== EASY) expect(at.get('wide')).toBe(5 * H);
    }
    // greedy and fifo start nothing there either
    for (const scheduler of ['greedy', 'fifo'] as const)
      expect(scheduleTick({ now: 0, scheduler, queue, sites: over, running }).starts).toEqual([]);
  });

  it('drain steering: a job that can start in two pools avoids the one a blocked wide job is waiting for', () => {
    // sz: 4 GPUs busy until 2 h; hk: 2 GPUs busy until 30 min. The 8-GPU job can start in hk first (at 30 min).
    const running: RunningAllocation[] = [
      { jobId: 'r1', org: 'x', siteId: 'sz', gpuType: 'A100', gpus: 4, expectedEnd: 2 * H },
      { jobId: 'r2', org: 'x', siteId: 'hk', gpuType: 'A100', gpus: 2, expectedEnd: H / 2 },
    ];
    const wide = job('wide', { gpus: 8, timeLimit: H });
    const small = (limit: number): TickJob =>
      job('small', { gpus: 1, timeLimit: limit, submittedAt: 1, dataJurisdiction: 'HK' });
    // Still running at 30 min: it goes to sz although its data is in Hong Kong, and wide keeps hk at 30 min.
    const r = scheduleTick({ now: 0, scheduler: 'hetao', queue: [wide, small(H)], sites: free(4, 6), running });
    expect(r.starts.map((s) => [s.jobId, s.siteId])).toEqual([['small', 'sz']]);
    expect(r.reservations).toEqual([{ jobId: 'wide', siteId: 'hk', gpuType: 'A100', at: H / 2 }]);
    // Done by then: it stays with its data.
    const q = scheduleTick({ now: 0, scheduler: 'hetao', queue: [wide, small(H / 4)], sites: free(4, 6), running });
    expect(q.starts.map((s) => [s.jobId, s.siteId])).toEqual([['small', 'hk']]);
    // A pinned job has no choice: it takes hk and wide's start moves to when it ends.
    const pinned = { ...small(H), allowedSites: new Set(['hk']) };
    const p = scheduleTick({ now: 0, scheduler: 'hetao', queue: [wide, pinned], sites: free(4, 6), running });
    expect(p.starts.map((s) => [s.jobId, s.siteId])).toEqual([['small', 'hk']]);
    expect(p.reservations.map((x) => [x.jobId, x.siteId, x.at])).toEqual([['wide', 'hk', H]]);
  });

  it('quotas: an organization over its share borrows idle GPUs, but only after in-quota jobs', () => {
    const fairShare = createFairShare({ a: 0.5, b: 0.5 });
    const running: RunningAllocation[] = [
      { jobId: 'r', org: 'a', siteId: 'sz', gpuType: 'A100', gpus: 8, expectedEnd: H },
    ];
    const queue = [job('a2', { org: 'a', gpus: 4, timeLimit: 60_000 }), job('b1', { org: 'b', gpus: 8, timeLimit: H })];
    const r = scheduleTick({ now: 0, scheduler: 'hetao', queue, sites: free(0, 8), running, fairShare });
    expect(r.starts.map((s) => [s.jobId, s.borrowed])).toEqual([['b1', false]]);
    const idle = scheduleTick({
      now: 0,
      scheduler: 'hetao',
      queue: [queue[0] as TickJob],
      sites: free(0, 8),
      running,
      fairShare,
    });
    expect(idle.starts.map((s) => [s.jobId, s.borrowed])).toEqual([['a2', true]]);
  });

  it('fair share: heavy recent users rank after light ones; usage decays by half each half-life', () => {
    let fs = createFairShare({ a: 0.5, b: 0.5 }, 0, H);
    fs = recordUsage(fs, 'a', 1000, 0);
    expect(decayUsage(fs, H).usage.get('a')).toBeCloseTo(500);
    const queue = [job('a1', { org: 'a', gpus: 8 }), job('b1', { org: 'b', gpus: 8 })];
    const r = scheduleTick({ now: 0, scheduler: 'hetao', queue, sites: free(8, 0), running: [], fairShare: fs });
    expect(r.starts.map((s) => s.jobId)).toEqual(['b1']);
  });

  it('no starvation: a long low-priority job starts despite a stream of short high-priority jobs', () => {
    // One 8-GPU pool; every 10 minutes a new 1-GPU, priority-5, 30-minute job arrives and keeps the pool busy.
    const one: TickSite[] = [{ id: 'sz', jurisdiction: 'SZ', pools: [{ type: 'A100', total: 8, free: 8 }] }];
    const victim = job('victim', { gpus: 8, timeLimit: 48 * H, priority: -5 });
    let running: RunningAllocation[] = [];
    let queue: TickJob[] = [victim];
    let startedAt: number | null = null;
    for (let t = 0; t < 400 * H && startedAt === null; t += 10 * 60_000) {
      running = running.filter((r) => (r.expectedEnd as number) > t);
      queue.push(job(`s${t}`, { gpus: 1, timeLimit: H / 2, priority: 5, submittedAt: t }));
      queue.push(job(`s${t}b`, { gpus: 1, timeLimit: H / 2, priority: 5, submittedAt: t }));
      const used = running.reduce((a, r) => a + r.gpus, 0);
      const r = scheduleTick({
        now: t,
        scheduler: 'hetao',
        queue,
        sites: [{ ...(one[0] as TickSite), pools: [{ type: 'A100', total: 8, free: 8 - used }] }],
        running,
      });
      for (const s of r.starts) {
        const j = queue.find((q) => q.id === s.jobId) as TickJob;
        if (j.id === 'victim') startedAt = t;
        running.push({
          jobId: j.id,
          org: j.org,
          siteId: 'sz',
          gpuType: 'A100',
          gpus: j.gpus,
          expectedEnd: t + (j.timeLimit as number),
        });
      }
      queue = queue.filter((q) => !r.starts.some((s) => s.jobId === q.id));
    }
    expect(startedAt).not.toBeNull();
    expect(startedAt as number).toBeLessThan(48 * H);
  });
});
