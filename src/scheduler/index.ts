/** The scheduler's public surface: job spec and states, placement, the queue tick, cost, traces, the simulator. */
export { type Charge, chargeJob, ledgerTotals, netPricePerGpuHour, type OrgLedgerTotals } from './charge.js';
export type { TickSite } from './cluster-pools.js';
export {
  createFairShare,
  DEFAULT_HALF_LIFE_MS,
  decayUsage,
  type FairShare,
  fairShareLog2,
  quotaGpus,
  recordUsage,
} from './fair-share.js';
export { type JobSpec, JobSpecSchema, parseJobSpec } from './job-spec.js';
export {
  canTransition,
  isTerminal,
  JOB_STATES,
  type JobState,
  type JobTransition,
  requeueOnSiteLoss,
  TERMINAL_STATES,
  transitionJob,
} from './job-state.js';
export {
  assessSites,
  dataJurisdictionOf,
  type Placement,
  type PlacementOptions,
  placeJob,
  type SiteAssessment,
  tickJobFor,
  tickSitesFrom,
} from './placement.js';
export {
  AGREEMENT_KINDS,
  type AgreementFacts,
  type AgreementKind,
  type ApprovalFacts,
  type DatasetFacts,
  type GpuPool,
  type OrgFacts,
  type PlacementFacts,
  type PlacementRequest,
  type PreemptibleRun,
  type RunningAllocation,
  type SiteFacts,
} from './placement-facts.js';
export type { Preemption, PreemptionReason } from './preemption.js';
export {
  DEFAULT_TICK_OPTIONS,
  rankKey,
  SCHEDULERS,
  type SchedulerName,
  type StartDecision,
  scheduleTick,
  type TickInput,
  type TickJob,
  type TickOptions,
  type TickReservation,
  type TickResult,
} from './queue-tick.js';
export { type DatasetVerdict, flowContextFor, type ResidencyVerdict, residencyFor } from './residency.js';
export {
  readTrace,
  runSimulateCommand,
  type SimulateCommandArgs,
  TRACE_FORMATS,
  type TraceFormat,
} from './simulate-command.js';
export {
  type SimulateInput,
  type SimulationDetail,
  type SimulationResult,
  simulate,
  simulateInDetail,
} from './simulator.js';
export { readSitesYaml, type SimSite, sitesFromOpenbNodes } from './sites-file.js';
export {
  bestSubsidy,
  HK_AI_SUBSIDY_SCHEME,
  type SubsidyPayer,
  type SubsidyProgramme,
  type SubsidySpend,
  SZ_COMPUTE_VOUCHERS,
  spendKey,
  subsidyRateFor,
  validateSubsidy,
} from './subsidy.js';
export { compressArrivals, pinResidency, seededRandom, synthesizeTimeLimits, type TraceJob } from './trace-job.js';
export { readHetaoTrace, readOpenbPods, readTiresiasTrace } from './trace-readers.js';
