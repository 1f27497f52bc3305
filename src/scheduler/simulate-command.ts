import { HetaoError } from '../core/index.js';
import { SCHEDULERS, type SchedulerName } from './queue-tick.js';
import { type SimulationResult, simulate } from './simulator.js';
import { readSitesYaml } from './sites-file.js';
import { pinResidency, synthesizeTimeLimits, type TraceJob } from './trace-job.js';
import { readHetaoTrace, readOpenbPods, readTiresiasTrace } from './trace-readers.js';

export const TRACE_FORMATS = ['hetao', 'openb', 'tiresias'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface SimulateCommandArgs {
  readonly traceText: string;
  readonly sitesText: string;
  /** Default hetao. */
  readonly format?: string;
  /** Default hetao. */
  readonly scheduler?: string;
  /**
   * openb and tiresias traces carry no time limits; by default each job gets ceil(duration x U(1,3)) (seed 1),
   * as users over-request. 'none' leaves them without limits. hetao traces use their time_limit_s column only.
   */
  readonly timeLimits?: 'synthesize' | 'none';
  /** openb/tiresias: share of jobs pinned to a random jurisdiction's sites (seed 2). Default 0. */
  readonly pinnedShare?: number;
  /** Divide submit times by this (> 1 = more load). Default 1. */
  readonly compress?: number;
}

export function readTrace(format: TraceFormat, text: string): TraceJob[] {
  return format === 'openb'
    ? readOpenbPods(text)
    : format === 'tiresias'
      ? readTiresiasTrace(text)
      : readHetaoTrace(text);
}

/** `hetao simulate`: pure; the CLI reads the files and prints the returned object as JSON. */
export function runSimulateCommand(args: SimulateCommandArgs): SimulationResult {
  const format = (args.format ?? 'hetao') as TraceFormat;
  const scheduler = (args.scheduler ?? 'hetao') as SchedulerName;
  if (!TRACE_FORMATS.includes(format))
    throw new HetaoError(
      'HETAO_SIMULATE_INPUT',
      `--format must be one of ${TRACE_FORMATS.join(', ')} (got ${format})`,
      {
        field: 'format',
      },
    );
  if (!SCHEDULERS.includes(scheduler))
    throw new HetaoError(
      'HETAO_SIMULATE_INPUT',
      `--scheduler must be one of ${SCHEDULERS.join(', ')} (got ${scheduler})`,
      { field: 'scheduler' },
    );
  let trace = readTrace(format, args.traceText);
  if (format !== 'hetao' && args.timeLimits !== 'none') trace = synthesizeTimeLimits(trace);
  if (format !== 'hetao' && args.pinnedShare) trace = pinResidency(trace, { share: args.pinnedShare });
  const f = args.compress ?? 1;
  if (f !== 1) trace = trace.map((j) => ({ ...j, submitS: j.submitS / f }));
  return simulate({ trace, sites: readSitesYaml(args.sitesText), scheduler });
}
