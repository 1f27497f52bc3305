import { Compile } from 'typebox/compile';
import { HetaoError } from '../core/index.js';
import { CONFIG_KEYS, type Config, ConfigSchema, type KeySource } from './schema.js';
import { parseWitnessList } from './witnesses.js';

const check = Compile(ConfigSchema);

export interface ConfigProblem {
  readonly key: string;
  readonly message: string;
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 2) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--'))
      flags.set(arg.slice(2), argv[++i] as string);
    else flags.set(arg.slice(2), 'true');
  }
  return flags;
}

function convert(raw: string, src: KeySource): { value: unknown } | { problem: string } | { problems: string[] } {
  switch (src.kind) {
    case 'nullable-integer':
      if (raw.trim() === '') return { value: null };
      return convert(raw, { ...src, kind: 'integer' });
    case 'integer':
      return /^-?\d+$/.test(raw.trim()) ? { value: Number(raw) } : { problem: 'must be an integer' };
    case 'witness-list':
      return parseWitnessList(raw);
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(raw)) return { value: true };
      if (/^(false|0|no|off)$/i.test(raw)) return { value: false };
      return { problem: 'must be true or false' };
    case 'nullable-string':
      return { value: raw === '' ? null : raw };
    default:
      return { value: raw };
  }
}

function describe(key: keyof Config): string {
  const schema = ConfigSchema.properties[key] as unknown as Record<string, unknown>;
  const literals = (schema.anyOf as { const?: unknown }[] | undefined)?.map((s) => s.const).filter((c) => c != null);
  if (literals?.length) return `must be one of ${literals.join(', ')}`;
  if (schema.type === 'integer') return `must be an integer from ${schema.minimum} to ${schema.maximum}`;
  if (key === 'databaseUrl') return 'must be a postgres:// or postgresql:// URL, or empty for SQLite';
  if (key === 'witnessQuorum') return 'must be an integer from 1 to the number of witnesses';
  return 'must be a non-empty string';
}

/** The quorum is checked against the witness list once both are read (unless either is already reported). */
function quorumProblems(
  out: Record<string, unknown>,
  names: ReadonlyMap<keyof Config, string>,
  reported: readonly ConfigProblem[],
): ConfigProblem[] {
  const quorum = out.witnessQuorum;
  const witnesses = out.witnesses as readonly unknown[] | undefined;
  const qName = names.get('witnessQuorum') ?? CONFIG_KEYS.witnessQuorum.env;
  const wName = names.get('witnesses') ?? CONFIG_KEYS.witnesses.env;
  if (typeof quorum !== 'number' || witnesses === undefined) return [];
  if (reported.some((p) => p.key === qName || p.key === wName)) return [];
  if (witnesses.length === 0)
    return [
      {
        key: qName,
        message: `${qName} needs external witnesses in ${wName}; without them the embedded demo witnesses cosign 2 of 2 (got ${quorum})`,
      },
    ];
  if (quorum > witnesses.length)
    return [
      {
        key: qName,
        message: `${qName} must be an integer from 1 to ${witnesses.length}, the number of witnesses in ${wName} (got ${quorum})`,
      },
    ];
  return [];
}

/**
 * Parses configuration once, at an entry point: environment first, then `--flag value` overrides.
 * Returns a frozen Config, or throws HETAO_CONFIG_INVALID listing every bad key at once.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, argv: readonly string[] = []): Config {
  const flags = readFlags(argv);
  const out: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  const names = new Map<keyof Config, string>();
  for (const key of Object.keys(CONFIG_KEYS) as (keyof Config)[]) {
    const src = CONFIG_KEYS[key];
    const fromFlag = flags.get(src.flag);
    const raw = fromFlag ?? env[src.env];
    const name = fromFlag !== undefined ? `--${src.flag}` : src.env;
    names.set(key, name);
    if (raw === undefined) {
      out[key] = src.default;
      continue;
    }
    const converted = convert(raw, src);
    if ('problem' in converted) {
      problems.push({ key: name, message: `${name} ${converted.problem} (got ${JSON.stringify(raw)})` });
      continue;
    }
    if ('problems' in converted) {
      for (const p of converted.problems) problems.push({ key: name, message: `${name} ${p}` });
      continue;
    }
    out[key] = converted.value;
    const one = ConfigSchema.properties[key];
    if (!Compile(one).Check(converted.value)) {
      problems.push({ key: name, message: `${name} ${describe(key)} (got ${JSON.stringify(raw)})` });
    }
  }
  problems.push(...quorumProblems(out, names, problems));
  if (problems.length === 0 && !check.Check(out)) {
    problems.push({ key: '(config)', message: 'configuration does not match its schema' });
  }
  if (problems.length > 0) {
    throw new HetaoError(
      'HETAO_CONFIG_INVALID',
      `invalid configuration: ${problems.map((p) => p.message).join('; ')}`,
      {
        field: problems[0]?.key,
        details: problems,
      },
    );
  }
  return Object.freeze(out) as Config;
}

/** Where the SQLite database lives when no PostgreSQL URL is configured. */
export function sqlitePath(config: Config): string {
  return `${config.home.replace(/\/+$/, '')}/hetao.db`;
}
