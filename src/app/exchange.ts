import { mkdirSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import type { ApiInstance } from '../api/api-instance.js';
import { buildApi } from '../api/build-api.js';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/index.js';
import type { Store } from '../store/index.js';
import { openConfiguredStore } from './configured-store.js';

export interface Exchange {
  readonly url: string;
  readonly app: ApiInstance;
  readonly store: Store;
  readonly log: Logger;
  /** Stops accepting work, finishes in-flight requests, then closes the store. */
  close(): Promise<void>;
}

export async function startExchange(config: Config, logger?: Logger): Promise<Exchange> {
  const log = logger ?? pino({ level: config.logLevel });
  mkdirSync(config.home, { recursive: true });
  const store = openConfiguredStore(config);
  const report = await store.migrate(systemClock.now());
  if (report.applied.length) log.info({ applied: report.applied, dialect: store.dialect }, 'migrated database');
  const app = await buildApi({ logger: log, register: async () => {} });
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const url = `http://${config.host}:${port}`;
  log.info({ url, dialect: store.dialect }, 'exchange listening');
  let closing: Promise<void> | undefined;
  return {
    url,
    app,
    store,
    log,
    close() {
      closing ??= (async () => {
        await app.close();
        await store.close();
      })();
      return closing;
    },
  };
}
