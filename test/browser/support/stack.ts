import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExchange } from '../../../src/app/exchange.js';
import { loadConfig } from '../../../src/config/index.js';
import type { Store } from '../../../src/store/index.js';
import { ensureWebBuild } from './web-build.js';

export interface DemoToken {
  readonly org: string;
  readonly role: string;
  readonly token: string;
}

export interface Stack {
  readonly url: string;
  readonly tokens: readonly DemoToken[];
  /** The first token with this role (throws when the demo has none). */
  token(role: string): string;
  /** The exchange's store, to seed what the demo does not hold (absent for an external exchange). */
  readonly store?: Store;
  close(): Promise<void>;
}

interface Credentials {
  readonly exchange: string;
  readonly tokens: readonly DemoToken[];
}

async function readCredentials(home: string, timeoutMs: number): Promise<Credentials> {
  const file = join(home, 'demo-credentials.json');
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the demo wrote no ${file}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
}

function stackOf(url: string, tokens: readonly DemoToken[], close: () => Promise<void>, store?: Store): Stack {
  return {
    url: url.replace(/\/$/, ''),
    ...(store ? { store } : {}),
    tokens,
    token(role) {
      const t = tokens.find((x) => x.role === role);
      if (!t) throw new Error(`the demo credentials have no ${role} token`);
      return t.token;
    },
    close,
  };
}

/**
 * A real exchange in this process, in demo mode on a fresh HETAO_HOME, serving the freshly built dashboard.
 * HETAO_TEST_EXCHANGE_HOME=<home of an exchange already running> points the tests at that one instead (debugging).
 */
export async function startStack(): Promise<Stack> {
  await ensureWebBuild();
  const external = process.env.HETAO_TEST_EXCHANGE_HOME;
  if (external) {
    const creds = await readCredentials(external, 1000);
    return stackOf(creds.exchange, creds.tokens, async () => {});
  }
  const home = mkdtempSync(join(tmpdir(), 'hetao-browser-'));
  const config = loadConfig({ HETAO_HOME: home, HETAO_PORT: '0', HETAO_DEMO: 'true', HETAO_LOG_LEVEL: 'silent' });
  const exchange = await startExchange(config);
  try {
    const creds = await readCredentials(home, 15_000);
    return stackOf(
      exchange.url,
      creds.tokens,
      async () => {
        await exchange.close();
        rmSync(home, { recursive: true, force: true });
      },
      exchange.store,
    );
  } catch (e) {
    await exchange.close();
    throw e;
  }
}
