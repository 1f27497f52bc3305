import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { LedgerRouteDeps } from '../api/ledger/index.js';
import { type Clock, HetaoError } from '../core/index.js';
import {
  type Appended,
  Cosigner,
  inProcessWitness,
  type LedgerEntry,
  type LedgerStore,
  Log,
  OutboxDrain,
  type OutboxReader,
  type OutboxRow,
  type PublishedCheckpointStore,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  type Signer,
  type TrustPolicy,
  trustPolicy,
  verifierOf,
  Witness,
  type WitnessClient,
  type WitnessStateStore,
} from '../ledger/index.js';
import { loadOrCreateKey } from './key-files.js';

/** The exchange's ledger signing key lives here, in $HETAO_HOME (mode 0600, made on first start). */
export const LEDGER_KEY_FILE = 'ledger-key';

interface RuntimeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LedgerRuntimeOptions {
  readonly store: { readonly ledger: LedgerStore & PublishedCheckpointStore & OutboxReader };
  /** $HETAO_HOME: holds `ledger-key`. */
  readonly home: string;
  readonly clock: Clock;
  /** Witnesses asked to cosign each new checkpoint (HTTP: app/witness-client.ts; embedded: below). Default none. */
  readonly witnesses?: readonly WitnessClient[];
  /** Distinct cosignatures a checkpoint needs before it is published. Default: every witness. */
  readonly quorum?: number;
  readonly logger?: RuntimeLogger;
  /** Wait after a commit before asking the witnesses, so a burst of batches shares one round. Default 0 ms. */
  readonly witnessDelayMs?: number;
  /** While the newest checkpoint lacks its quorum (a witness down), ask again this often. Default 5000 ms. */
  readonly witnessRetryMs?: number;
  /** Most entries per commit (Log option). Default 8192. */
  readonly maxBatch?: number;
}

/** The ledger as the exchange runs it: durable appends (the API's LedgerRecorder), witnessing and publication. */
export interface LedgerRuntime {
  readonly origin: string;
  /** The exchange's note verifier key (served at GET /api/v1/ledger/key). */
  readonly verifierKey: string;
  readonly policy: TrustPolicy;
  readonly log: Log;
  /** What `ledgerRoutes(app, runtime.routes)` needs. */
  readonly routes: LedgerRouteDeps;
  /** Appends one entry; resolves with its index once its batch is durably committed (LedgerRecorder). */
  record(entry: LedgerEntry): Promise<number>;
  /** Appends the entries changes staged in the store's outbox; resolves once they are committed (OutboxDrain). */
  flush(): Promise<void>;
  append(entry: LedgerEntry): Promise<Appended>;
  /** Runs a witnessing round now (after any in progress); resolves with the latest published checkpoint. */
  witnessNow(): Promise<string | undefined>;
  /** The latest published (policy-met, cosigned) checkpoint, or undefined before the first. */
  published(): string | undefined;
  /** Refuses new appends, waits for every pending one to commit, runs a last witnessing round. */
  close(): Promise<void>;
}

/** Loads (or creates on first start) the exchange's log key in `home`; its name is the log's origin. */
export function loadLedgerSigner(home: string): Signer {
  return loadOrCreateKey(
    join(home, LEDGER_KEY_FILE),
    () => `hetao.exchange/${randomBytes(4).toString('hex')}`,
    SIG_ED25519,
  );
}

export async function openLedgerRuntime(opts: LedgerRuntimeOptions): Promise<LedgerRuntime> {
  const signer = loadLedgerSigner(opts.home);
  const witnesses = opts.witnesses ?? [];
  const policy = trustPolicy(
    signer.verifierKey,
    witnesses.map((w) => w.verifierKey),
    opts.quorum,
  );
  const log = await Log.open({
    store: opts.store.ledger,
    signer,
    ...(opts.maxBatch ? { maxBatch: opts.maxBatch } : {}),
  });
  const cosigner = new Cosigner({
    log,
    witnesses,
    policy,
    published: opts.store.ledger,
    onWitnessError: (witness, err) => opts.logger?.warn({ witness, err }, 'witness did not cosign'),
  });
  await cosigner.load();

  const pending = new Set<Promise<unknown>>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let again = false;

  const run = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (round !== undefined) {
      again = true;
      return round;
    }
    round = (async () => {
      do {
        again = false;
        try {
          await cosigner.round();
        } catch (err) {
          opts.logger?.warn({ err }, 'witnessing round failed');
        }
      } while (again);
    })().finally(() => {
      round = undefined;
      retryIfBehind();
    });
    return round;
  };
  // A witness that was down, or came up after the exchange, is asked again without waiting for the next append.
  let retry: NodeJS.Timeout | undefined;
  const retryIfBehind = () => {
    if (closed || retry !== undefined || (cosigner.publishedSize ?? -1) >= log.size) return;
    retry = setTimeout(() => {
      retry = undefined;
      if (!closed) void run();
    }, opts.witnessRetryMs ?? 5000);
    retry.unref();
  };
  // Without a delay the round starts at once rather than on a timer: under a stream of appends that resolve in
  // microtasks (better-sqlite3 is synchronous), a zero-delay timer could wait indefinitely.
  const schedule = () => {
    if (round !== undefined) again = true;
    else if (!opts.witnessDelayMs) void run();
    else if (timer === undefined) timer = setTimeout(() => void run(), opts.witnessDelayMs);
  };

  const track = (p: Promise<Appended>): Promise<Appended> => {
    pending.add(p);
    p.then(schedule, () => {}).finally(() => pending.delete(p));
    return p;
  };
  const closing = () => Promise.reject(new HetaoError('HETAO_LEDGER_CLOSED', 'the ledger is closing; retry later'));
  const append = (entry: LedgerEntry): Promise<Appended> => (closed ? closing() : track(log.append(entry)));
  const outbox = new OutboxDrain(
    opts.store.ledger,
    (row: OutboxRow) => (closed ? closing() : track(log.appendStaged(row))),
    (row, err) =>
      opts.logger?.warn(
        { outboxId: row.id, ref: row.ref, code: err.code, err },
        'a staged ledger entry is not a valid entry and was set aside (ledger_outbox_rejected)',
      ),
    () => opts.clock.now(),
  );
  // Entries staged before a crash, or before the last stop, are appended at once.
  await outbox.flush();

  schedule(); // publish what is stored (a fresh log: the empty tree) without waiting for the first append
  opts.logger?.info(
    { origin: signer.name, witnesses: witnesses.map((w) => w.name), quorum: policy.quorum },
    'ledger open',
  );

  return {
    origin: signer.name,
    verifierKey: signer.verifierKey,
    policy,
    log,
    routes: {
      published: async () => cosigner.published,
      verifierKey: signer.verifierKey,
      witnesses: { threshold: policy.quorum, keys: witnesses.map((w) => ({ name: w.name, key: w.verifierKey })) },
      tile: (path) => log.tile(path),
      readEntries: (from, count) => opts.store.ledger.readEntries(from, count),
      inclusionProof: (index, size) => log.inclusionProof(index, size),
    },
    record: async (entry) => (await append(entry)).index,
    flush: () => outbox.flush(),
    append,
    async witnessNow() {
      await run();
      return cosigner.published;
    },
    published: () => cosigner.published,
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      while (pending.size > 0) await Promise.allSettled([...pending]);
      if (timer !== undefined || round !== undefined) await run();
    },
  };
}

/** The demo's two regulators, cosigning 2 of 2. Key names are their note names. */
export const DEMO_WITNESSES = [
  { name: 'shenzhen-regulator', title: 'Shenzhen regulator' },
  { name: 'hongkong-regulator', title: 'Hong Kong regulator' },
] as const;

export interface EmbeddedWitnessOptions {
  /** Where each witness keeps its state (a row per witness and log). */
  readonly store: { witnessState(witness: string): WitnessStateStore };
  readonly clock: Clock;
  /** Witness key names. Default the two demo regulators. */
  readonly names?: readonly string[];
}

/**
 * Witnesses running inside the exchange process, called without HTTP (`npm start`): keys in
 * `$HETAO_HOME/witness-<name>.key`, state in the store. They trust the log key in `home`. A real deployment runs
 * `hetao witness` at each regulator instead and configures the exchange with their URLs and keys.
 */
export function createEmbeddedWitnesses(home: string, opts: EmbeddedWitnessOptions): WitnessClient[] {
  const log = loadLedgerSigner(home);
  const logs = [{ origin: log.name, verifiers: [verifierOf(log)] }];
  return (opts.names ?? DEMO_WITNESSES.map((w) => w.name)).map((name) => {
    const signer = loadOrCreateKey(join(home, `witness-${name}.key`), () => name, SIG_COSIGNATURE_V1);
    const witness = new Witness({ signer, logs, state: opts.store.witnessState(name), clock: opts.clock });
    return inProcessWitness(name, witness);
  });
}
