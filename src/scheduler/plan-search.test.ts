import { describe, expect, it } from 'vitest';
import { type PlanJob, type PlanPool, searchOrder, serialSchedule } from './plan-search.js';
import { seededRandom } from './trace-job.js';

const S = 1000;
const gpus = (n: number): number => n * 1000;
const job = (n: number, seconds: number, weight = 1, pools: number[] = [0]): PlanJob => ({
  need: gpus(n),
  length: seconds * S,
  weight,
  pools,
});

describe('plan search', () => {
  it('runs wide jobs before a long narrow one that Smith order would start first and that would block them', () => {
    // One 8-GPU pool, empty. By GPU-time the 1-GPU job of 1,000 s (1,000 GPU-s) ranks before three 8-GPU jobs
    // of 150 s (1,200 GPU-s each); started first, it keeps every one of them waiting until it ends.
    const jobs = [job(1, 1000), job(8, 150), job(8, 150), job(8, 150)];
    const pools: PlanPool[] = [{ free: gpus(8), ends: [] }];
    const rank = serialSchedule(jobs, pools, 0, [0, 1, 2, 3]);
    expect(rank.starts.map((s) => s.at / S)).toEqual([0, 1000, 1150, 1300]);
    expect(rank.cost / S).toBe(1000 + 1150 + 1300 + 1450);

    const plan = searchOrder(jobs, pools, 0, 200);
    expect(plan?.order).toEqual([1, 2, 3, 0]);
    expect(plan?.startsNow).toEqual([false, true, false, false]);
    const planned = serialSchedule(jobs, pools, 0, plan?.order ?? []);
    expect(planned.starts.map((s) => s.at / S)).toEqual([450, 0, 150, 300]);
    expect(planned.cost / S).toBe(150 + 300 + 450 + 1450);
    // The same input gives the same plan.
    expect(searchOrder(jobs, pools, 0, 200)).toEqual(plan);
  });

  it('weights completions: a heavy enough job keeps its place at the head', () => {
    const jobs = [job(1, 1000, 8), job(8, 150), job(8, 150), job(8, 150)];
    const plan = searchOrder(jobs, [{ free: gpus(8), ends: [] }], 0, 200);
    expect(plan?.order[0]).toBe(0);
    expect(plan?.startsNow).toEqual([true, false, false, false]);
  });

  it("plans around running jobs' planned ends and picks the pool where a job starts first", () => {
    // Pool 0: 8 GPUs, all busy until 100 s. Pool 1: 4 GPUs, 2 busy until 300 s.
    const pools: PlanPool[] = [
      { free: 0, ends: [[100 * S, gpus(8)]] },
      { free: gpus(2), ends: [[300 * S, gpus(2)]] },
    ];
    const jobs = [job(8, 50, 1, [0]), job(4, 50, 1, [0, 1]), job(2, 50, 1, [1, 0])];
    const { starts } = serialSchedule(jobs, pools, 0, [0, 1, 2]);
    expect(starts).toEqual([
      { at: 100 * S, pool: 0 },
      { at: 150 * S, pool: 0 },
      { at: 0, pool: 1 },
    ]);
  });

  it('gives no plan when a job can never fit, and keeps an order where everything starts now', () => {
    const held: PlanPool[] = [{ free: gpus(2), ends: [] }];
    expect(searchOrder([job(1, 10), job(4, 10)], held, 0, 100)).toBeNull();
    const all = searchOrder([job(1, 10), job(1, 20)], held, 0, 100);
    expect(all).toEqual({ order: [0, 1], startsNow: [true, true] });
  });

  it('over random clusters: never over capacity, only in allowed pools, and never worse than the order it starts from', () => {
    const rnd = seededRandom(11);
    const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
    for (let round = 0; round < 150; round++) {
      const now = int(0, 1000) * S;
      const totals = Array.from({ length: int(1, 3) }, () => int(1, 4) * 4);
      const pools: PlanPool[] = totals.map((t) => {
        const busy = int(0, t);
        const ends: Array<[number, number]> = [];
        let left = busy;
        while (left > 0) {
          const g = int(1, left);
          ends.push([now + int(0, 600) * S, gpus(g)]);
          left -= g;
        }
        ends.sort((a, b) => a[0] - b[0]);
        return { free: gpus(t - busy), ends };
      });
      const jobs: PlanJob[] = Array.from({ length: int(2, 14) }, () => {
        const allowed = totals.map((_, k) => k).filter(() => rnd() < 0.7);
        const ps = allowed.length ? allowed : [int(0, totals.length - 1)];
        const most = Math.min(...ps.map((k) => totals[k] as number));
        return job(int(1, most), int(10, 900), 2 ** int(-2, 2), ps);
      });
      const start = jobs.map((_, i) => i);
      const plan = searchOrder(jobs, pools, now, 120);
      expect(plan).not.toBeNull();
      const order = plan?.order ?? [];
      expect([...order].sort((a, b) => a - b)).toEqual(start);
      const planned = serialSchedule(jobs, pools, now, order);
      expect(planned.cost).toBeLessThanOrEqual(serialSchedule(jobs, pools, now, start).cost);
      expect(plan?.startsNow).toEqual(planned.starts.map((s) => s.at === now));
      // Capacity: at every start or end, what the pool has free then minus what the plan holds stays >= 0.
      pools.forEach((p, k) => {
        const mine = jobs.flatMap((j, i) => {
          const s = planned.starts[i] as { at: number; pool: number };
          expect(s.at).toBeGreaterThanOrEqual(now);
          expect(j.pools).toContain(s.pool);
          return s.pool === k ? [{ from: s.at, to: s.at + j.length, need: j.need }] : [];
        });
        for (const t of [now, ...mine.map((m) => m.from)]) {
          const free = p.free + p.ends.filter(([e]) => e <= t).reduce((a, [, m]) => a + m, 0);
          const used = mine.filter((m) => m.from <= t && t < m.to).reduce((a, m) => a + m.need, 0);
          expect(used).toBeLessThanOrEqual(free);
        }
      });
    }
  });
});
