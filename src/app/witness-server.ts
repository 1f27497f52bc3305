import { join } from 'node:path';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { type Clock, HetaoError, isHetaoError, systemClock } from '../core/index.js';
import {
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  type Signer,
  Witness,
  witnessErrorResponse,
} from '../ledger/index.js';
import { openStore, type Store } from '../store/index.js';
import { loadOrCreateKey } from './key-files.js';

export interface WitnessServerOptions {
  /** The witness's key name, e.g. `shenzhen-regulator`. */
  readonly name: string;
  /** Holds `witness-<name>.key` (made on first start, 0600) and `witness.db` (its state, SQLite). */
  readonly home: string;
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Verifier keys (type 0x01) of the logs it cosigns for; each key's name is the log's origin. */
  readonly logKeys: readonly string[];
  readonly clock?: Clock;
  readonly logger?: Logger | false;
}

export interface WitnessServer {
  readonly url: string;
  readonly verifierKey: string;
  close(): Promise<void>;
}

/** The witness's key in `home` (created on first use). */
export function loadWitnessSigner(home: string, name: string): Signer {
  return loadOrCreateKey(join(home, `witness-${name}.key`), () => name, SIG_COSIGNATURE_V1);
}

/**
 * A c2sp.org/tlog-witness server: `POST /add-checkpoint` answers 200 with a cosignature line, 409 with the
 * witness's size (text/x.tlog.size) or on a fork, 422 for a bad consistency proof, 404 for an unknown log, 403 for a
 * bad signature, 400 for a malformed body. State is a SQLite file whose compare-and-swap is one durable statement,
 * so concurrent requests can never roll the witness back.
 */
export async function startWitnessServer(opts: WitnessServerOptions): Promise<WitnessServer> {
  const signer = loadWitnessSigner(opts.home, opts.name);
  const logs = opts.logKeys.map((k) => {
    const v = parseVerifierKey(k);
    if (v.type !== SIG_ED25519)
      throw new HetaoError('HETAO_LEDGER_KEY_INVALID', `--log-key ${v.name}: a log key is type 0x01 (Ed25519)`);
    return { origin: v.name, verifiers: [v] };
  });
  const store: Store = openStore({ kind: 'sqlite', path: join(opts.home, 'witness.db') });
  const clock = opts.clock ?? systemClock;
  await store.migrate(clock.now());
  const witness = new Witness({ signer, logs, state: store.witnessState(opts.name), clock });

  const app = Fastify({ loggerInstance: opts.logger || undefined, bodyLimit: 64 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/add-checkpoint', async (req, reply) => {
    try {
      const cosignature = await witness.addCheckpoint(typeof req.body === 'string' ? req.body : '');
      return reply.header('content-type', 'text/plain; charset=utf-8').send(cosignature);
    } catch (err) {
      if (!isHetaoError(err)) throw err;
      const r = witnessErrorResponse(err);
      return reply.status(r.status).header('content-type', r.contentType).send(r.body);
    }
  });
  await app.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    verifierKey: signer.verifierKey,
    async close() {
      await app.close();
      await store.close();
    },
  };
}
