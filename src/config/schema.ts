import Type, { type Static } from 'typebox';

/** A witness the exchange asks over HTTP (`hetao witness` at a regulator): its base URL and cosignature key. */
export const WitnessEndpointSchema = Type.Object(
  {
    /** Base URL; the exchange POSTs c2sp.org/tlog-witness requests to `<url>/add-checkpoint`. */
    url: Type.Readonly(Type.String({ pattern: '^https?://' })),
    /** The witness's cosignature verifier key (type 0x04), as `hetao witness key` prints it. */
    key: Type.Readonly(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export type WitnessEndpoint = Static<typeof WitnessEndpointSchema>;

/**
 * The one configuration schema. Each key is read from an environment variable and may be overridden by a
 * command-line flag (`--port 9090` or `--port=9090`); the flag wins. Every key documents its default and unit.
 */
export const ConfigSchema = Type.Object(
  {
    /** State directory (SQLite database, the exchange's signing key, job working dirs). Default `./.hetao`. */
    home: Type.String({ minLength: 1 }),
    /** TCP port the exchange listens on. Default 8080. */
    port: Type.Integer({ minimum: 0, maximum: 65535 }),
    /** Address the exchange binds. Default 127.0.0.1 (loopback only). */
    host: Type.String({ minLength: 1 }),
    /** `postgres://user:pass@host:port/db` selects PostgreSQL; unset means SQLite at `$HETAO_HOME/hetao.db`. */
    databaseUrl: Type.Union([Type.String({ pattern: '^postgres(ql)?://' }), Type.Null()]),
    /** How the embedded demo sites run jobs: `local` child processes or the `slurm` clusters. Default local. */
    executor: Type.Union([Type.Literal('local'), Type.Literal('slurm')]),
    /** pino log level. Default info. */
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)) as [
        ReturnType<typeof Type.Literal<'info'>>,
      ],
    ),
    /** Seed demo organizations, sites, data and jobs on first start. Default true. */
    demo: Type.Boolean(),
    /** Most ledger entries committed in one batch (one transaction, one signed checkpoint). Default 4096. */
    ledgerBatchMax: Type.Integer({ minimum: 1, maximum: 65536 }),
    /**
     * External witnesses (`hetao witness` over HTTP), each `URL KEY`, entries separated by `;` or newlines. Empty
     * (the default): the two embedded demo witnesses, Shenzhen and Hong Kong regulators, cosigning 2 of 2.
     */
    witnesses: Type.Immutable(Type.Array(WitnessEndpointSchema)),
    /** Distinct cosignatures a checkpoint needs before it is published, 1..witnesses. Default (null): every witness. */
    witnessQuorum: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
    /** slurm.conf of the Shenzhen demo site's cluster. Default /tmp/hetao-slurm/sz/etc/slurm.conf. */
    slurmSzConf: Type.String({ minLength: 1 }),
    /** slurm.conf of the Hong Kong demo site's cluster. Default /tmp/hetao-slurm/hk/etc/slurm.conf. */
    slurmHkConf: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export type Config = Readonly<Static<typeof ConfigSchema>>;

export interface KeySource {
  readonly env: string;
  readonly flag: string;
  readonly kind: 'string' | 'integer' | 'boolean' | 'nullable-string' | 'nullable-integer' | 'witness-list';
  readonly default: string | number | boolean | null | readonly never[];
}

export const CONFIG_KEYS: { readonly [K in keyof Config]: KeySource } = {
  home: { env: 'HETAO_HOME', flag: 'home', kind: 'string', default: './.hetao' },
  port: { env: 'HETAO_PORT', flag: 'port', kind: 'integer', default: 8080 },
  host: { env: 'HETAO_HOST', flag: 'host', kind: 'string', default: '127.0.0.1' },
  databaseUrl: { env: 'HETAO_DATABASE_URL', flag: 'database-url', kind: 'nullable-string', default: null },
  executor: { env: 'HETAO_EXECUTOR', flag: 'executor', kind: 'string', default: 'local' },
  logLevel: { env: 'HETAO_LOG_LEVEL', flag: 'log-level', kind: 'string', default: 'info' },
  demo: { env: 'HETAO_DEMO', flag: 'demo', kind: 'boolean', default: true },
  ledgerBatchMax: { env: 'HETAO_LEDGER_BATCH_MAX', flag: 'ledger-batch-max', kind: 'integer', default: 4096 },
  witnesses: { env: 'HETAO_WITNESSES', flag: 'witnesses', kind: 'witness-list', default: Object.freeze([]) },
  witnessQuorum: { env: 'HETAO_WITNESS_QUORUM', flag: 'witness-quorum', kind: 'nullable-integer', default: null },
  slurmSzConf: {
    env: 'HETAO_SLURM_SZ_CONF',
    flag: 'slurm-sz-conf',
    kind: 'string',
    default: '/tmp/hetao-slurm/sz/etc/slurm.conf',
  },
  slurmHkConf: {
    env: 'HETAO_SLURM_HK_CONF',
    flag: 'slurm-hk-conf',
    kind: 'string',
    default: '/tmp/hetao-slurm/hk/etc/slurm.conf',
  },
};
