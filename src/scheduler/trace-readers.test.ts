import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { readSitesYaml, sitesFromOpenbNodes } from './sites-file.js';
import { synthesizeTimeLimits } from './trace-job.js';
import { readHetaoTrace, readOpenbPods, readTiresiasTrace } from './trace-readers.js';

const shared = fileURLToPath(new URL('../../../shared/traces/', import.meta.url));
const fixtures = fileURLToPath(new URL('../../test/fixtures/scheduler/', import.meta.url));
const read = (p: string): string => readFileSync(p, 'utf8');

describe('trace readers', () => {
  it('reads the openb pod list: GPU pods that were scheduled, fractional GPUs, type constraints', () => {
    const jobs = readOpenbPods(read(`${shared}alibaba-pai-gpu-v2023-openb/openb_pod_list_gpuspec33.csv`));
    expect(jobs.length).toBe(6203);
    expect(jobs.every((j) => j.gpus > 0 && j.durationS >= 1 && j.timeLimitS === null)).toBe(true);
    expect(jobs.some((j) => j.gpus < 1)).toBe(true);
    expect(jobs.find((j) => j.gpuTypes.length === 2)?.gpuTypes).toBeDefined();
    expect(jobs[0]).toMatchObject({ id: 'openb-pod-0000', gpus: 1, submitS: 0, org: 'openb-ls' });
  });

  it('reads the Tiresias 60-job trace', () => {
    const jobs = readTiresiasTrace(read(`${shared}tiresias-philly-derived/60_job.csv`));
    expect(jobs).toHaveLength(60);
    expect(jobs[0]).toMatchObject({ id: 'tiresias-0', gpus: 1, submitS: 0, durationS: 164 });
    expect(jobs.filter((j) => j.gpus === 8)).toHaveLength(10);
  });

  it('reads the hetao CSV and its optional time limits', () => {
    const jobs = readHetaoTrace(read(`${fixtures}small-trace.csv`));
    expect(jobs).toHaveLength(6);
    expect(jobs[0]).toMatchObject({ id: 'j1', gpus: 8, dataJurisdiction: 'SZ', dataMovable: false, timeLimitS: 900 });
    expect(jobs[1]).toMatchObject({ dataJurisdiction: null, dataMovable: true });
    expect(jobs[2]?.gpuTypes).toEqual(['A100']);
    expect(jobs[5]?.timeLimitS).toBeNull();
  });

  it('reads the optional priority and preemptible columns, and refuses bad values with their line', () => {
    const head = 'id,org,submit_s,gpus,duration_s,gpu_type,data_jurisdiction,data_movable,priority,preemptible\n';
    const jobs = readHetaoTrace(`${head}a,x,0,1,5,,none,true,3,true\nb,x,0,1,5,,none,true,,\n`);
    expect(jobs.map((j) => [j.priority, j.preemptible])).toEqual([
      [3, true],
      [0, false],
    ]);
    const field = (text: string) => {
      try {
        readHetaoTrace(text);
      } catch (e) {
        return (e as HetaoError).field;
      }
      return null;
    };
    expect(field(`${head}a,x,0,1,5,,none,true,11,true\n`)).toBe('2.priority');
    expect(field(`${head}a,x,0,1,5,,none,true,1.5,true\n`)).toBe('2.priority');
    expect(field(`${head}a,x,0,1,5,,none,true,0,yes\n`)).toBe('2.preemptible');
  });

  it('names the line and column of a bad value', () => {
    const bad = 'id,org,submit_s,gpus,duration_s,gpu_type,data_jurisdiction,data_movable\nx,a,0,two,5,,SZ,true\n';
    try {
      readHetaoTrace(bad);
      expect.unreachable();
    } catch (e) {
      expect((e as HetaoError).code).toBe('HETAO_TRACE_INVALID');
      expect((e as HetaoError).field).toBe('2.gpus');
    }
    expect(() => readHetaoTrace('id,org\n1,a\n')).toThrow(/header lacks column submit_s/);
  });

  it('synthesized time limits are seeded over-estimates of duration', () => {
    const jobs = readTiresiasTrace(read(`${shared}tiresias-philly-derived/60_job.csv`));
    const a = synthesizeTimeLimits(jobs);
    expect(a).toEqual(synthesizeTimeLimits(jobs));
    for (const j of a) expect(j.timeLimitS as number).toBeGreaterThanOrEqual(j.durationS);
    for (const j of a) expect(j.timeLimitS as number).toBeLessThanOrEqual(3 * j.durationS + 1);
  });

  it('reads sites YAML and builds Shenzhen and Hong Kong halves from the openb node list', () => {
    const sites = readSitesYaml(read(`${fixtures}two-sites.yaml`));
    expect(sites.map((s) => [s.id, s.jurisdiction])).toEqual([
      ['qianhai', 'SZ'],
      ['cyberport', 'HK'],
    ]);
    expect(() => readSitesYaml('sites:\n  - id: x\n    jurisdiction: MO\n    gpus: {}\n')).toThrow(HetaoError);
    const eight = sitesFromOpenbNodes(read(`${shared}alibaba-pai-gpu-v2023-openb/openb_node_list_gpu_node.csv`), 8);
    expect(eight.filter((s) => s.jurisdiction === 'SZ')).toHaveLength(4);
    const total = eight.reduce((a, s) => a + Object.values(s.gpus).reduce((x, y) => x + y, 0), 0);
    expect(total).toBe(6212);
  });
});
