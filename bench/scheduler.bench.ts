/**
 * Scheduler benchmarks.
 * - scheduler.place: one queue tick (the server's scheduling pass) over 10,000 queued jobs and 8 sites built from
 *   the openb GPU node list (1,213 nodes, 6,212 GPUs), empty cluster; placements/s = jobs started / tick time.
 *   Also the explained single-job placement (residency via a flow decider, 8 sites) per second.
 * - scheduler.replay: openb pods (gpuspec33 list: 33% of pods constrain the GPU type) over two sites (Shenzhen
 *   and Hong Kong halves of the node list), 30% of jobs pinned to their data's jurisdiction. The whole pod list
 *   fits the whole 6,212-GPU cluster at once (5,485 GPUs if every pod ran together), so no arrival compression
 *   makes it queue there: the sites take every OPENB_EVERY_NTH-th node (default 8: 776 GPUs, same type mix) and
 *   arrivals are compressed by OPENB_COMPRESS (default 100). The Tiresias 60-job trace runs over two sites of
 *   TIRESIAS_GPUS_PER_SITE (default 8) GPUs with arrivals compressed by TIRESIAS_COMPRESS (a comma list; default
 *   2,4,8: FIFO queues at all three). Time limits: ceil(duration x U(1,3)), seed 1; residency pins: seed 2.
 *   Each replay prints hetao, fifo and greedy lines and hetao's rank order alone (plan: false), then a ratio line
 *   (targetMet: avg JCT <= 0.8x greedy and <= 0.5x FIFO, p99 <= FIFO).
 *   What bounds the Tiresias figure. At compress 2 no non-preemptive scheduler can meet the avg-JCT target,
 *   clairvoyant included: a time-indexed LP relaxation of this instance (1.25 s start slots, 8 GPUs per site, pinned
 *   jobs on their site, an 8-GPU job excludes every other job on its site), solved offline and checked by a
 *   weak-duality certificate, puts every schedule's avg JCT at >= 287.9 s = 0.803x greedy's 358.6 s. At compress 4
 *   and 8 the bound is 0.72x and a clairvoyant local search (true durations and future arrivals) finds 0.78x and
 *   0.75x. Hetao's rank order alone (smallest GPU-time limit first with backfill) reaches 0.870x and 0.852x there,
 *   and 0.82x-0.85x even when given the true durations as limits: ordering one job at a time cannot see that a long
 *   1-GPU job started now keeps a whole site from the 8-GPU jobs for its whole run. The plan for the head of the
 *   queue (plan-search.ts: a serial schedule of the first 32 jobs, improved by moving one job at a time) sees it.
 *   Seed 1 at compress 4 gives 0.798x; the limitSeeds line gives the spread over 10 draws of the limits (mean
 *   0.808x at 4, 0.824x at 8, against 0.860x and 0.863x in rank order), so the target is met on this draw and
 *   not on most. Tried and not kept, over the same 10 draws at compress 4: 64 jobs or 600-2,000 moves, or three
 *   starting orders (0.808x-0.821x: better plans, no better replays); planning with durations scaled to the
 *   observed share of the limit, or scored over several such scales (0.805x to 0.814x); breaking ties between pools
 *   to align ends (0.809x-0.811x); a cost on GPU-time committed now (0.810x-0.825x); letting the plan stop
 *   preemptible running jobs (30 s restart: 0.809x to 0.821x); holding a job back until it has waited a share
 *   of its limit (a delayed-start rule for online completion time; 5% to 30%, all jobs or narrow ones only: 0.833x
 *   to 0.952x at 4, worse with every share at 2, 4 and 8). With the true durations as limits the plan reaches
 *   0.795x at 4 and 0.798x at 8: what is left is what the limits hide.
 *   Preemption does not rule the target out: an LP for preemptive schedules (resumable at no cost, even on the
 *   other site; 1 s slots, completion >= mean busy time + half the duration, certified by weak duality) bounds avg
 *   JCT at >= 265.3 s = 0.740x greedy at compress 2 (0.685x at 4, 0.687x at 8); rank-based preemption inside the
 *   tick gave 0.944x, 0.863x and 0.839x at 2, 4 and 8 (0.919x, 0.870x, 0.852x without), within the noise of 60
 *   jobs, so the tick preempts only to keep promises (shares and priority).
 * - scheduler.replay.limitSeeds: the Tiresias replay at each load over LIMIT_SEEDS (default 10) draws of the time
 *   limits: mean, min and max of avg JCT vs greedy with the plan and in rank order, and how many draws are <= 0.8x.
 * - scheduler.plan.cost: the pass's time with the plan and without, when the whole head of the queue is blocked
 *   (the search runs in full): 8 openb sites, every pool busy, 10,000 queued.
 * - scheduler.fairshare: what those promises cost and give, on the Tiresias replay at compress 2: two
 *   organizations with half the GPUs each, a lab submitting 4 of every 5 jobs (preemptible, they checkpoint) and a
 *   start-up the fifth (not preemptible); 30 s restart per resume. Without preemption the start-up waits for the
 *   lab's borrowed GPUs to drain; with it, its jobs start in place of the lab's newest borrowed runs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Decision, FlowContext } from '../src/policy/types.js';
import {
  compressArrivals,
  type PlacementFacts,
  pinResidency,
  placeJob,
  type RunningAllocation,
  readOpenbPods,
  readTiresiasTrace,
  type SchedulerName,
  type SimSite,
  type SimulationResult,
  scheduleTick,
  seededRandom,
  simulate,
  simulateInDetail,
  sitesFromOpenbNodes,
  synthesizeTimeLimits,
  type TickInput,
  type TickJob,
  type TickSite,
  type TraceJob,
} from '../src/scheduler/index.js';
import type { Emit } from './run.js';

const OPENB_COMPRESS = Number(process.env.OPENB_COMPRESS ?? 100);
const OPENB_EVERY_NTH = Number(process.env.OPENB_EVERY_NTH ?? 8);
const TIRESIAS_COMPRESS = String(process.env.TIRESIAS_COMPRESS ?? '2,4,8')
  .split(',')
  .map(Number);
const TIRESIAS_GPUS_PER_SITE = Number(process.env.TIRESIAS_GPUS_PER_SITE ?? 8);
const traces = fileURLToPath(new URL('../../shared/traces/', import.meta.url));
const read = (p: string): string => readFileSync(`${traces}${p}`, 'utf8');

function tickSites(sites: readonly SimSite[]): TickSite[] {
  return sites.map((s) => ({
    id: s.id,
    jurisdiction: s.jurisdiction,
    netPricePerGpuHour: s.pricePerGpuHour * (1 - s.subsidyRate),
    pools: Object.entries(s.gpus).map(([type, n]) => ({ type, total: n, free: n })),
  }));
}

/** A bench-local decider for rules 1, 3, 4 and 6 (general non-PI data moves; important data needs approval). */
function decide(ctx: FlowContext): Decision {
  const mainland = (j: string): boolean => j === 'SZ' || j === 'GBA-mainland' || j === 'mainland-other';
  const d = (decision: Decision['decision'], channel: Decision['channel'], ruleId: string): Decision => ({
    decision,
    channel,
    ruleId,
    sources: [],
    conditions: [],
    explanation: `${channel}`,
    rulebookVersion: 'bench',
    parameters: {
      gbaContractLiftsVolumeCaps: false,
      generalDataListZones: ['qianhai'],
      assessmentPiThreshold: 1_000_000,
      assessmentSensitiveThreshold: 10_000,
      exemptPiThreshold: 100_000,
    },
  });
  if (mainland(ctx.exporter.jurisdiction) && mainland(ctx.importer.jurisdiction))
    return d('allow', 'domestic', 'rule 1');
  if (ctx.data.classification === 'core') return d('deny', 'prohibited', 'rule 3');
  if (ctx.data.classification === 'important') return d('requires-approval', 'security-assessment', 'rule 4');
  return d('allow', 'exempt', 'rule 6');
}

/** 10,000 queued openb pods over `sites`: 12 organizations, data in SZ or HK, 30% of jobs pinned to it (seed 7). */
function openbQueue(sites: readonly SimSite[]): TickJob[] {
  const pods = synthesizeTimeLimits(readOpenbPods(read('alibaba-pai-gpu-v2023-openb/openb_pod_list_gpuspec33.csv')));
  const rnd = seededRandom(7);
  const byJ = new Map<string, ReadonlySet<string>>();
  for (const j of ['SZ', 'HK']) byJ.set(j, new Set(sites.filter((s) => s.jurisdiction === j).map((s) => s.id)));
  return Array.from({ length: 10_000 }, (_, i) => {
    const p = pods[i % pods.length] as TraceJob;
    const j = rnd() < 0.5 ? 'SZ' : 'HK';
    return {
      id: `job-${i}`,
      org: `org-${i % 12}`,
      submittedAt: i * 1000,
      gpus: p.gpus,
      gpuTypes: p.gpuTypes,
      timeLimit: (p.timeLimitS as number) * 1000,
      priority: 0,
      allowedSites: rnd() < 0.3 ? (byJ.get(j) as ReadonlySet<string>) : null,
      dataJurisdiction: j,
    };
  });
}

/** The median of 7 passes: its time and how many jobs it starts. */
function medianTick(input: Omit<TickInput, 'scheduler'>): { ms: number; starts: number } {
  const runs: Array<{ ms: number; starts: number }> = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    const res = scheduleTick({ ...input, scheduler: 'hetao' });
    runs.push({ ms: performance.now() - t0, starts: res.starts.length });
  }
  runs.sort((a, b) => a.ms - b.ms);
  return runs[3] as { ms: number; starts: number };
}

async function benchPlace(emit: Emit): Promise<void> {
  const sites = sitesFromOpenbNodes(read('alibaba-pai-gpu-v2023-openb/openb_node_list_gpu_node.csv'), 8);
  const pods = synthesizeTimeLimits(readOpenbPods(read('alibaba-pai-gpu-v2023-openb/openb_pod_list_gpuspec33.csv')));
  const queue = openbQueue(sites);
  const now = 10_000_000;
  const med = medianTick({ now, queue, sites: tickSites(sites), running: [] });

  const facts: PlacementFacts = {
    sites: sites.map((s) => ({
      id: s.id,
      name: s.id,
      jurisdiction: s.jurisdiction,
      gpus: Object.entries(s.gpus).map(([type, n]) => ({ type, total: n, free: n })),
      pricePerGpuHour: s.pricePerGpuHour,
      currency: s.jurisdiction === 'HK' ? 'HKD' : 'CNY',
      subsidyProgrammes: [],
    })),
    datasets: ['general', 'important'].map((c) => ({
      id: c,
      name: c,
      ownerOrg: 'o1',
      jurisdiction: 'SZ',
      classification: c as 'general' | 'important',
      type: 'telemetry',
      containsPersonalInfo: false,
      sensitivePersonalInfo: false,
      piIndividuals: 0,
      sensitivePiIndividuals: 0,
      origin: 'local',
      onGeneralDataList: false,
      scenario: null,
      purpose: 'training',
    })),
    orgs: ['o1', 'o2'].map((id) => ({
      id,
      name: id,
      jurisdiction: 'SZ',
      zone: null,
      isCIIO: false,
      startup: false,
      annualPiIndividualsExported: 0,
      annualSensitivePiIndividualsExported: 0,
      associatedWith: [],
    })),
    agreements: [],
    approvals: [],
    subsidies: [],
    running: [],
  };
  const n = 20_000;
  const t1 = performance.now();
  for (let i = 0; i < n; i++) {
    const p = pods[i % pods.length] as TraceJob;
    placeJob(
      {
        jobId: `j${i}`,
        org: i % 2 ? 'o1' : 'o2',
        gpus: p.gpus,
        gpuTypes: p.gpuTypes,
        datasets: [i % 3 ? 'general' : 'important'],
        timeLimit: 3600_000,
      },
      facts,
      decide,
      now,
    );
  }
  const explainedMs = performance.now() - t1;
  emit({
    bench: 'scheduler.place',
    queued: queue.length,
    sites: sites.length,
    gpus: sites.reduce((a, s) => a + Object.values(s.gpus).reduce((x, y) => x + y, 0), 0),
    started: med.starts,
    tickMs: Math.round(med.ms * 100) / 100,
    placementsPerSec: Math.round(med.starts / (med.ms / 1000)),
    decisionsPerSec: Math.round(queue.length / (med.ms / 1000)),
    explainedPlacementsPerSec: Math.round(n / (explainedMs / 1000)),
    target: 20_000,
  });
}

const SCHEDS: readonly SchedulerName[] = ['hetao', 'fifo', 'greedy'];

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
/** Hetao's rank order alone: the plan for the head of the queue off. */
const RANK_ORDER = { planWindow: 0 } as const;

function replay(emit: Emit, trace: string, jobs: readonly TraceJob[], sites: readonly SimSite[], extra: object): void {
  const out = new Map<SchedulerName, SimulationResult>();
  for (const s of SCHEDS) {
    const r = simulate({ trace: jobs, sites, scheduler: s });
    out.set(s, r);
    emit({ bench: 'scheduler.replay', trace, ...extra, ...r });
  }
  const rank = simulate({ trace: jobs, sites, scheduler: 'hetao', tickOptions: RANK_ORDER });
  emit({ bench: 'scheduler.replay', trace, ...extra, ...rank, plan: false });
  const h = out.get('hetao') as SimulationResult;
  const f = out.get('fifo') as SimulationResult;
  const g = out.get('greedy') as SimulationResult;
  emit({
    bench: 'scheduler.replay.ratio',
    trace,
    ...('compress' in extra ? { compress: extra.compress } : {}),
    avgJctVsGreedy: r3(h.avgJctS / g.avgJctS),
    rankOrderAvgJctVsGreedy: r3(rank.avgJctS / g.avgJctS),
    avgJctVsFifo: r3(h.avgJctS / f.avgJctS),
    p99VsFifo: r3(h.p99JctS / f.p99JctS),
    targetMet: h.avgJctS <= 0.8 * g.avgJctS && h.avgJctS <= 0.5 * f.avgJctS && h.p99JctS <= f.p99JctS,
    residencyViolations: h.residencyViolations + f.residencyViolations + g.residencyViolations,
  });
}

export default async function schedulerBench(emit: Emit): Promise<void> {
  await benchPlace(emit);
  const nodes = read('alibaba-pai-gpu-v2023-openb/openb_node_list_gpu_node.csv');
  const two = sitesFromOpenbNodes(nodes, 2, OPENB_EVERY_NTH);
  let openb = readOpenbPods(read('alibaba-pai-gpu-v2023-openb/openb_pod_list_gpuspec33.csv'));
  openb = compressArrivals(pinResidency(synthesizeTimeLimits(openb), { share: 0.3 }), OPENB_COMPRESS);
  replay(emit, 'openb_pod_list_gpuspec33', openb, two, {
    compress: OPENB_COMPRESS,
    everyNthNode: OPENB_EVERY_NTH,
    siteGpus: two.map((s) => Object.values(s.gpus).reduce((a, b) => a + b, 0)),
    pinnedShare: 0.3,
  });

  const small: SimSite[] = [
    { id: 'sz-1', jurisdiction: 'SZ', gpus: { V100: TIRESIAS_GPUS_PER_SITE }, pricePerGpuHour: 10, subsidyRate: 0.5 },
    { id: 'hk-1', jurisdiction: 'HK', gpus: { V100: TIRESIAS_GPUS_PER_SITE }, pricePerGpuHour: 14, subsidyRate: 0.7 },
  ];
  const tir = pinResidency(synthesizeTimeLimits(readTiresiasTrace(read('tiresias-philly-derived/60_job.csv'))), {
    share: 0.3,
  });
  for (const compress of TIRESIAS_COMPRESS)
    replay(emit, 'tiresias_60_job', compressArrivals(tir, compress), small, {
      compress,
      siteGpus: [TIRESIAS_GPUS_PER_SITE, TIRESIAS_GPUS_PER_SITE],
      pinnedShare: 0.3,
    });
  limitSeeds(emit, readTiresiasTrace(read('tiresias-philly-derived/60_job.csv')), small);
  fairShare(emit, compressArrivals(tir, 2), small);
  planCost(emit, nodes);
}

/**
 * scheduler.replay.limitSeeds: the Tiresias ratio is one draw of the synthetic time limits; this line replays
 * LIMIT_SEEDS draws (seeds 1..n) at each load and gives the spread of avg JCT vs greedy, with and without the plan.
 */
function limitSeeds(emit: Emit, trace: readonly TraceJob[], sites: readonly SimSite[]): void {
  const n = Number(process.env.LIMIT_SEEDS ?? 10);
  for (const compress of TIRESIAS_COMPRESS) {
    const withPlan: number[] = [];
    const rankOrder: number[] = [];
    for (let seed = 1; seed <= n; seed++) {
      const jobs = compressArrivals(pinResidency(synthesizeTimeLimits(trace, { seed }), { share: 0.3 }), compress);
      const g = simulate({ trace: jobs, sites, scheduler: 'greedy' }).avgJctS;
      withPlan.push(simulate({ trace: jobs, sites, scheduler: 'hetao' }).avgJctS / g);
      rankOrder.push(simulate({ trace: jobs, sites, scheduler: 'hetao', tickOptions: RANK_ORDER }).avgJctS / g);
    }
    const mean = (xs: number[]) => r3(xs.reduce((a, b) => a + b, 0) / xs.length);
    emit({
      bench: 'scheduler.replay.limitSeeds',
      trace: 'tiresias_60_job',
      compress,
      seeds: n,
      avgJctVsGreedy: { mean: mean(withPlan), min: r3(Math.min(...withPlan)), max: r3(Math.max(...withPlan)) },
      atMost08: withPlan.filter((x) => x <= 0.8).length,
      rankOrderAvgJctVsGreedy: {
        mean: mean(rankOrder),
        min: r3(Math.min(...rankOrder)),
        max: r3(Math.max(...rankOrder)),
      },
    });
  }
}

/**
 * scheduler.plan.cost: what the plan adds to a pass when nothing at the head of the queue can start now, so the
 * search runs in full: 8 openb sites with every pool held by running jobs ending over the next 2 h; 10,000 queued
 * jobs; median of 7 passes with the plan and without it (rank order), in one run.
 */
function planCost(emit: Emit, nodes: string): void {
  const sites = sitesFromOpenbNodes(nodes, 8);
  const rnd = seededRandom(5);
  const now = 10_000_000;
  const running: RunningAllocation[] = [];
  const busySites: TickSite[] = tickSites(sites).map((s) => ({
    ...s,
    pools: s.pools.map((p) => {
      for (let held = 0; held < p.total; ) {
        const gpus = Math.min(8, p.total - held);
        const expectedEnd = now + Math.round(rnd() * 7200_000);
        running.push({ jobId: `r${running.length}`, org: 'org-0', siteId: s.id, gpuType: p.type, gpus, expectedEnd });
        held += gpus;
      }
      return { ...p, free: 0 };
    }),
  }));
  const queue = openbQueue(sites);
  const rank = medianTick({ now, queue, sites: busySites, running, options: RANK_ORDER });
  const plan = medianTick({ now, queue, sites: busySites, running });
  emit({
    bench: 'scheduler.plan.cost',
    queued: queue.length,
    running: running.length,
    tickMsWithPlan: Math.round(plan.ms * 100) / 100,
    tickMsRankOrder: Math.round(rank.ms * 100) / 100,
    ratio: r3(plan.ms / rank.ms),
  });
}

/** scheduler.fairshare: the start-up's wait and the lab's JCT, with and without preemption (see the header). */
function fairShare(emit: Emit, trace: readonly TraceJob[], sites: readonly SimSite[]): void {
  const orgs = trace.map((j, i) => ({ ...j, org: i % 5 === 4 ? 'startup' : 'lab', preemptible: i % 5 !== 4 }));
  const submitted = new Map(orgs.map((j) => [j.id, j.submitS] as const));
  const side = (preemption: boolean) => {
    const d = simulateInDetail({
      trace: orgs,
      sites,
      scheduler: 'hetao',
      quotas: { lab: 0.5, startup: 0.5 },
      restartCostS: 30,
      tickOptions: { preemption },
    });
    const of = (org: string) => {
      const js = d.jobs.filter((j) => j.org === org);
      const mean = (f: (j: (typeof js)[number]) => number) =>
        Math.round((10 * js.reduce((a, j) => a + f(j), 0)) / js.length) / 10;
      return {
        jobs: js.length,
        avgWaitS: mean((j) => j.startS - (submitted.get(j.id) as number)),
        avgJctS: mean((j) => j.endS - (submitted.get(j.id) as number)),
      };
    };
    return { startup: of('startup'), lab: of('lab'), preemptions: d.preemptions, restartGpuS: d.restartGpuS };
  };
  const off = side(false);
  const on = side(true);
  emit({
    bench: 'scheduler.fairshare',
    trace: 'tiresias_60_job',
    compress: 2,
    shares: { lab: 0.5, startup: 0.5 },
    restartCostS: 30,
    withoutPreemption: off,
    withPreemption: on,
    startupWaitRatio: Math.round((1000 * on.startup.avgWaitS) / Math.max(off.startup.avgWaitS, 1e-9)) / 1000,
    labJctRatio: Math.round((1000 * on.lab.avgJctS) / off.lab.avgJctS) / 1000,
  });
}
