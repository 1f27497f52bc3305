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
 *   TIRESIAS_GPUS_PER_SITE (default 8) GPUs with arrivals compressed by TIRESIAS_COMPRESS (default 2; a comma
 *   list, e.g. 2,4,8, replays each load). Time limits: ceil(duration x U(1,3)), seed 1; residency pins: seed 2.
 *   Each replay prints hetao, fifo and greedy lines, then a ratio line (targetMet: avg JCT <= 0.8x greedy and
 *   <= 0.5x FIFO, p99 <= FIFO). On the Tiresias trace the avg-JCT target cannot be met at the default compress 2
 *   by any non-preemptive scheduler, clairvoyant included: a time-indexed LP relaxation of this instance (1.25 s
 *   start slots, 8 GPUs per site, pinned jobs on their site, an 8-GPU job excludes every other job on its site),
 *   solved offline and checked by a weak-duality certificate, puts every schedule's avg JCT at >= 287.9 s =
 *   0.803x greedy's 358.6 s. At compress 4 and 8 the bound is 0.72x, and a clairvoyant local search (true
 *   durations and future arrivals) finds schedules at 0.78x and 0.75x greedy, so there the target is reachable
 *   with foresight; whether an online scheduler that sees only limits can reach it is open. Preemption does not
 *   rule the target out: the same kind of LP for preemptive schedules (resumable at no cost, even on the other
 *   site; 1 s slots, completion >= mean busy time + half the duration, certified by weak duality) bounds avg JCT
 *   at >= 265.3 s = 0.740x greedy at compress 2 (0.685x at 4, 0.687x at 8). An offline prototype of preemption
 *   (shortest remaining limit first, restart cost 0-30 s) reached 0.88x greedy at best at compress 2. The same
 *   rule inside the tick (stop a running job whose remaining GPU-time limit ranks over 2x a blocked job's, every
 *   job preemptible, 30 s restart) gave 0.944x at compress 2, 0.863x at 4, 0.839x at 8 (0.919x, 0.870x, 0.852x
 *   without): within the noise of 60 jobs, so the tick preempts only to keep promises (shares and priority).
 *   The limits' noise is not what holds the tick back either: given the true durations as limits it reaches
 *   0.893x at compress 2 (0.820x at 4, 0.854x at 8); the rest of the gap to the bounds is knowing arrivals.
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
  type TickJob,
  type TickSite,
  type TraceJob,
} from '../src/scheduler/index.js';
import type { Emit } from './run.js';

const OPENB_COMPRESS = Number(process.env.OPENB_COMPRESS ?? 100);
const OPENB_EVERY_NTH = Number(process.env.OPENB_EVERY_NTH ?? 8);
const TIRESIAS_COMPRESS = String(process.env.TIRESIAS_COMPRESS ?? '2')
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

async function benchPlace(emit: Emit): Promise<void> {
  const sites = sitesFromOpenbNodes(read('alibaba-pai-gpu-v2023-openb/openb_node_list_gpu_node.csv'), 8);
  const pods = synthesizeTimeLimits(readOpenbPods(read('alibaba-pai-gpu-v2023-openb/openb_pod_list_gpuspec33.csv')));
  const rnd = seededRandom(7);
  const byJ = new Map<string, ReadonlySet<string>>();
  for (const j of ['SZ', 'HK']) byJ.set(j, new Set(sites.filter((s) => s.jurisdiction === j).map((s) => s.id)));
  const queue: TickJob[] = Array.from({ length: 10_000 }, (_, i) => {
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
  const ts = tickSites(sites);
  const now = 10_000_000;
  const runs: Array<{ ms: number; starts: number }> = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    const res = scheduleTick({ now, scheduler: 'hetao', queue, sites: ts, running: [] });
    runs.push({ ms: performance.now() - t0, starts: res.starts.length });
  }
  runs.sort((a, b) => a.ms - b.ms);
  const med = runs[Math.floor(runs.length / 2)] as { ms: number; starts: number };

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

function replay(emit: Emit, trace: string, jobs: readonly TraceJob[], sites: readonly SimSite[], extra: object): void {
  const out = new Map<SchedulerName, SimulationResult>();
  for (const s of SCHEDS) {
    const r = simulate({ trace: jobs, sites, scheduler: s });
    out.set(s, r);
    emit({ bench: 'scheduler.replay', trace, ...extra, ...r });
  }
  const h = out.get('hetao') as SimulationResult;
  const f = out.get('fifo') as SimulationResult;
  const g = out.get('greedy') as SimulationResult;
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  emit({
    bench: 'scheduler.replay.ratio',
    trace,
    ...('compress' in extra ? { compress: extra.compress } : {}),
    avgJctVsGreedy: r3(h.avgJctS / g.avgJctS),
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
  fairShare(emit, compressArrivals(tir, 2), small);
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
