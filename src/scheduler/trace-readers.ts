import { HetaoError } from '../core/index.js';
import type { Jurisdiction } from '../policy/types.js';
import { columns, readCsv } from './csv-table.js';
import type { TraceJob } from './trace-job.js';

const HETAO_COLS = ['id', 'org', 'submit_s', 'gpus', 'duration_s', 'gpu_type', 'data_jurisdiction', 'data_movable'];

/**
 * contract.md's hetao trace: `id,org,submit_s,gpus,duration_s,gpu_type,data_jurisdiction,data_movable[,time_limit_s]`,
 * and optionally `priority` (-10..10, default 0) and `preemptible` (true | false, default false).
 * gpu_type may list several types separated by `|`; empty = any. No time_limit_s = the scheduler sees no limit.
 */
export function readHetaoTrace(text: string): TraceJob[] {
  const what = 'hetao trace';
  const t = readCsv(text, what, HETAO_COLS);
  const c = columns(t, what);
  return t.rows.map(({ line, cells }) => {
    const dj = c.str(cells, 'data_jurisdiction');
    if (!['SZ', 'HK', 'none', ''].includes(dj))
      throw new HetaoError('HETAO_TRACE_INVALID', `${what}: line ${line} data_jurisdiction must be SZ, HK or none`, {
        field: `${line}.data_jurisdiction`,
      });
    const mv = c.str(cells, 'data_movable').toLowerCase();
    if (!['true', 'false', ''].includes(mv))
      throw new HetaoError('HETAO_TRACE_INVALID', `${what}: line ${line} data_movable must be true or false`, {
        field: `${line}.data_movable`,
      });
    const limit = c.has('time_limit_s') ? c.num(cells, 'time_limit_s', line, { optional: true, min: 1 }) : null;
    const priority = c.has('priority') ? c.num(cells, 'priority', line, { optional: true, min: -10 }) : null;
    if (priority !== null && (priority > 10 || !Number.isInteger(priority)))
      throw new HetaoError('HETAO_TRACE_INVALID', `${what}: line ${line} priority must be an integer from -10 to 10`, {
        field: `${line}.priority`,
      });
    const pre = c.has('preemptible') ? c.str(cells, 'preemptible').toLowerCase() : '';
    if (!['true', 'false', ''].includes(pre))
      throw new HetaoError('HETAO_TRACE_INVALID', `${what}: line ${line} preemptible must be true or false`, {
        field: `${line}.preemptible`,
      });
    return {
      id: c.str(cells, 'id') || `line-${line}`,
      org: c.str(cells, 'org') || 'default',
      submitS: c.num(cells, 'submit_s', line, { min: 0 }) as number,
      gpus: c.num(cells, 'gpus', line, { min: 0 }) as number,
      durationS: c.num(cells, 'duration_s', line, { min: 0 }) as number,
      gpuTypes: c.str(cells, 'gpu_type').split('|').filter(Boolean),
      dataJurisdiction: dj === 'SZ' || dj === 'HK' ? (dj as Jurisdiction) : null,
      dataMovable: mv !== 'false' || !(dj === 'SZ' || dj === 'HK'),
      timeLimitS: limit,
      priority: priority ?? 0,
      preemptible: pre === 'true',
    };
  });
}

/**
 * Alibaba PAI openb pod list. GPU pods only (num_gpu 0 pods are CPU work, outside a GPU scheduler); pods never
 * scheduled (empty scheduled_time: they waited and were deleted) are skipped. gpus = num_gpu x gpu_milli / 1000, so
 * a 460-milli pod takes 0.46 of one GPU's capacity. Duration = deletion_time - scheduled_time (min 1 s); submit =
 * creation_time; org = `openb-<qos>`. gpu_spec `A|B` = allowed types. No time limits (see synthesizeTimeLimits).
 */
export function readOpenbPods(text: string): TraceJob[] {
  const what = 'openb pod list';
  const t = readCsv(text, what, ['name', 'num_gpu', 'gpu_milli', 'creation_time', 'deletion_time', 'scheduled_time']);
  const c = columns(t, what);
  const out: TraceJob[] = [];
  for (const { line, cells } of t.rows) {
    const n = c.num(cells, 'num_gpu', line, { min: 0 }) as number;
    const sched = c.num(cells, 'scheduled_time', line, { optional: true, min: 0 });
    if (n === 0 || sched === null) continue;
    const milli = c.num(cells, 'gpu_milli', line, { min: 0 }) as number;
    const created = c.num(cells, 'creation_time', line, { min: 0 }) as number;
    const deleted = c.num(cells, 'deletion_time', line, { min: 0 }) as number;
    out.push({
      id: c.str(cells, 'name'),
      org: `openb-${(c.str(cells, 'qos') || 'default').toLowerCase()}`,
      submitS: created,
      gpus: (n * Math.min(1000, Math.max(1, milli))) / 1000,
      durationS: Math.max(1, deleted - sched),
      gpuTypes: [...new Set(c.str(cells, 'gpu_spec').split('|').filter(Boolean))],
      dataJurisdiction: null,
      dataMovable: true,
      timeLimitS: null,
      priority: 0,
    });
  }
  return out;
}

/** Tiresias 60_job.csv: job_id,num_gpu,submit_time,iterations,model_name,duration,interval. No time limits. */
export function readTiresiasTrace(text: string): TraceJob[] {
  const what = 'tiresias trace';
  const t = readCsv(text, what, ['job_id', 'num_gpu', 'submit_time', 'duration']);
  const c = columns(t, what);
  return t.rows.map(({ line, cells }) => ({
    id: `tiresias-${c.str(cells, 'job_id')}`,
    org: 'tiresias',
    submitS: c.num(cells, 'submit_time', line, { min: 0 }) as number,
    gpus: c.num(cells, 'num_gpu', line, { min: 0 }) as number,
    durationS: Math.max(1, c.num(cells, 'duration', line, { min: 0 }) as number),
    gpuTypes: [],
    dataJurisdiction: null,
    dataMovable: true,
    timeLimitS: null,
    priority: 0,
  }));
}
