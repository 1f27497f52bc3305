import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse as parseYaml } from 'yaml';
import { HetaoError } from '../core/index.js';

/**
 * The job spec users submit (contract.md "Jobs and the API"). Only `name` and `run` are required; every other
 * field has a default (units in the field names). Unknown fields are rejected so typos do not pass silently.
 */
export const JobResourcesSchema = Type.Object(
  {
    /** Whole or fractional GPUs (0.5 = half a GPU's capacity, shared). Default 0. */
    gpus: Type.Optional(Type.Number({ minimum: 0, maximum: 1024 })),
    /** Allowed GPU types; empty = any type. Default []. */
    gpuTypes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 32 })),
    /** Default 1. */
    cpus: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 4096 })),
    /** Default 4. */
    memoryGb: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 65536 })),
    /** The wall-clock limit the scheduler plans with; absent = no limit (never backfilled ahead of a reservation). */
    timeLimitMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 525600 })),
  },
  { additionalProperties: false },
);

export const JobSpecSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    resources: Type.Optional(JobResourcesSchema),
    datasets: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 256 })),
    run: Type.String({ minLength: 1, maxLength: 65536 }),
    env: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.String(), {
        additionalProperties: false,
      }),
    ),
    /** -10 (lowest) to 10 (highest); default 0. */
    priority: Type.Optional(Type.Integer({ minimum: -10, maximum: 10 })),
    /**
     * The job checkpoints and resumes (HETAO_ATTEMPT counts its runs), so the scheduler may stop it and queue it
     * again: to give capacity back to an organization within its GPU share when this job's organization borrowed
     * it, or for a higher-priority job of the same organization. Default false.
     */
    preemptible: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type JobSpecInput = Static<typeof JobSpecSchema>;

/** A job spec with every default applied; frozen. */
export interface JobSpec {
  readonly name: string;
  readonly resources: {
    readonly gpus: number;
    readonly gpuTypes: readonly string[];
    readonly cpus: number;
    readonly memoryGb: number;
    readonly timeLimitMinutes: number | null;
  };
  readonly datasets: readonly string[];
  readonly run: string;
  readonly env: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly preemptible: boolean;
}

const check = Compile(JobSpecSchema);

function dotted(instancePath: string): string {
  return instancePath.replace(/^\//, '').split('/').join('.');
}

/** Parses YAML or JSON text (JSON is YAML) or validates an already-parsed object. */
export function parseJobSpec(input: string | unknown): JobSpec {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = parseYaml(input);
    } catch (cause) {
      throw new HetaoError('HETAO_JOB_SPEC_SYNTAX', `job spec: ${(cause as Error).message}`, { cause });
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HetaoError('HETAO_JOB_SPEC_SYNTAX', 'job spec: expected one object with at least name and run');
  }
  if (!check.Check(value)) {
    const first = [...check.Errors(value)][0];
    const rec = value as Record<string, unknown>;
    let field = first ? dotted(first.instancePath) : '';
    let message = first?.message ?? 'invalid';
    if (first?.keyword === 'required') {
      const missing = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0];
      field = [field, missing].filter(Boolean).join('.');
      message = 'is required';
    } else if (first?.keyword === 'additionalProperties' || first?.keyword === 'boolean') {
      const extra = (first.params as { additionalProperties?: string[] }).additionalProperties?.[0];
      if (extra) field = [field, extra].filter(Boolean).join('.');
      message = field.startsWith('env.')
        ? 'is not an environment variable name (letters, digits and _, not starting with a digit)'
        : 'is not a job spec field (allowed: name, resources, datasets, run, env, priority, preemptible)';
    }
    if (field === '') field = 'name' in rec ? 'run' : 'name';
    throw new HetaoError('HETAO_JOB_SPEC_INVALID', `job spec: ${field} ${message}`, { field });
  }
  const spec = value as JobSpecInput;
  const r = spec.resources ?? {};
  return Object.freeze({
    name: spec.name,
    resources: Object.freeze({
      gpus: r.gpus ?? 0,
      gpuTypes: Object.freeze([...(r.gpuTypes ?? [])]),
      cpus: r.cpus ?? 1,
      memoryGb: r.memoryGb ?? 4,
      timeLimitMinutes: r.timeLimitMinutes ?? null,
    }),
    datasets: Object.freeze([...(spec.datasets ?? [])]),
    run: spec.run,
    env: Object.freeze({ ...(spec.env ?? {}) }),
    priority: spec.priority ?? 0,
    preemptible: spec.preemptible ?? false,
  });
}
