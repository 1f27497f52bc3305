import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { HetaoError } from '../core/index.js';
import { columns, readCsv } from './csv-table.js';

/** A site of contract.md's sites YAML: GPU counts by type, gross price per GPU-hour and a flat subsidy rate. */
export interface SimSite {
  readonly id: string;
  readonly jurisdiction: 'SZ' | 'HK';
  readonly gpus: Readonly<Record<string, number>>;
  readonly pricePerGpuHour: number;
  /** Fraction 0..1 of the price a subsidy pays. Default 0. */
  readonly subsidyRate: number;
}

const SitesSchema = Type.Object({
  sites: Type.Array(
    Type.Object({
      id: Type.String({ minLength: 1 }),
      jurisdiction: Type.Union([Type.Literal('SZ'), Type.Literal('HK')]),
      gpus: Type.Record(Type.String({ minLength: 1 }), Type.Integer({ minimum: 0 })),
      pricePerGpuHour: Type.Optional(Type.Number({ minimum: 0 })),
      subsidyRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    }),
    { minItems: 1 },
  ),
});
const check = Compile(SitesSchema);

/** Reads `sites: [{id, jurisdiction: SZ|HK, gpus: {TYPE: COUNT}, pricePerGpuHour, subsidyRate}]` (YAML or JSON). */
export function readSitesYaml(text: string): SimSite[] {
  let v: unknown;
  try {
    v = parseYaml(text);
  } catch (cause) {
    throw new HetaoError('HETAO_SITES_INVALID', `sites file: ${(cause as Error).message}`, { cause });
  }
  if (!check.Check(v)) {
    const e = [...check.Errors(v)][0];
    const field = (e?.instancePath ?? '').replace(/^\//, '').split('/').join('.') || 'sites';
    throw new HetaoError('HETAO_SITES_INVALID', `sites file: ${field} ${e?.message ?? 'is invalid'}`, { field });
  }
  const seen = new Set<string>();
  return (v as { sites: SimSite[] }).sites.map((s, i) => {
    if (seen.has(s.id))
      throw new HetaoError('HETAO_SITES_INVALID', `sites file: duplicate site id ${s.id}`, { field: `sites.${i}.id` });
    seen.add(s.id);
    return {
      id: s.id,
      jurisdiction: s.jurisdiction,
      gpus: { ...s.gpus },
      pricePerGpuHour: s.pricePerGpuHour ?? 0,
      subsidyRate: s.subsidyRate ?? 0,
    };
  });
}

/**
 * Sites from the openb GPU node list: nodes are dealt round-robin to `count` sites (so each gets a similar type
 * mix); the first half are Shenzhen (CNY 10/GPU-h, 50% vouchers), the second half Hong Kong (HKD 14/GPU-h, 70%
 * AISS). Prices are illustrative. `count` default 2; `everyNth` > 1 keeps only every n-th GPU node (a smaller
 * cluster with the same type mix, default 1 = all).
 */
export function sitesFromOpenbNodes(text: string, count = 2, everyNth = 1): SimSite[] {
  const what = 'openb node list';
  const t = readCsv(text, what, ['sn', 'gpu', 'model']);
  const c = columns(t, what);
  const gpus: Array<Record<string, number>> = Array.from({ length: count }, () => ({}));
  let k = 0;
  let seen = 0;
  for (const { line, cells } of t.rows) {
    const n = c.num(cells, 'gpu', line, { min: 0 }) as number;
    const model = c.str(cells, 'model');
    if (n === 0 || model === '' || seen++ % everyNth !== 0) continue;
    const g = gpus[k++ % count] as Record<string, number>;
    g[model] = (g[model] ?? 0) + n;
  }
  const half = Math.ceil(count / 2);
  return gpus.map((g, i) => {
    const sz = i < half;
    return {
      id: sz ? `sz-${i + 1}` : `hk-${i - half + 1}`,
      jurisdiction: sz ? 'SZ' : 'HK',
      gpus: g,
      pricePerGpuHour: sz ? 10 : 14,
      subsidyRate: sz ? 0.5 : 0.7,
    };
  });
}
