import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiInstance } from '../../src/api/api-instance.js';
import { buildApi } from '../../src/api/build-api.js';
import { ledgerRoutes } from '../../src/api/ledger/index.js';
import { createEmbeddedWitnesses, type LedgerRuntime, openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { ManualClock } from '../../src/core/index.js';
import type { LedgerEntry } from '../../src/ledger/index.js';
import { sampleEntries } from '../../src/ledger/testing/sample-entries.js';
import { openStore, type Store } from '../../src/store/index.js';

export interface ExchangeLike {
  readonly url: string;
  readonly home: string;
  readonly store: Store;
  readonly ledger: LedgerRuntime;
  readonly app: ApiInstance;
  close(): Promise<void>;
}

/** What an exchange serves of its ledger: SQLite store, ledger runtime with the two embedded witnesses, the routes. */
export async function startExchangeLike(entries: number): Promise<ExchangeLike> {
  const home = mkdtempSync(join(tmpdir(), 'hetao-ledger-'));
  const store = openStore({ kind: 'sqlite', path: join(home, 'hetao.db') });
  const clock = new ManualClock();
  await store.migrate(clock.now());
  const witnesses = createEmbeddedWitnesses(home, { store, clock });
  const ledger = await openLedgerRuntime({ store, home, clock, witnesses });
  const base = sampleEntries(entries);
  for (let i = 0; i < entries; i += 500)
    await Promise.all(base.slice(i, i + 500).map((e) => ledger.record(e as LedgerEntry)));
  await ledger.witnessNow();
  const app = await buildApi({
    logger: false,
    register: async (a) => {
      await a.register(async (i) => ledgerRoutes(i as unknown as ApiInstance, ledger.routes), { prefix: '/api/v1' });
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    home,
    store,
    ledger,
    app,
    async close() {
      await app.close();
      await ledger.close();
      await store.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Runs the CLI in process; returns the exit code and what it printed. */
export async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import('../../src/app/cli-main.js');
  let out = '';
  let err = '';
  const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);
  const code = await main(argv, { out: (t) => (out += line(t)), err: (t) => (err += line(t)) });
  return { code, out, err };
}
