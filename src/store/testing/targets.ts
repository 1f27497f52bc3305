import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { StoreTarget } from '../open-store.js';

/**
 * Where the store tests find their databases. PostgreSQL: HETAO_TEST_DATABASE_URL, default the settings
 * scripts/services-up.sh creates. Each test file gets a fresh schema (dropped afterwards) or a fresh SQLite file.
 */
export const TEST_DATABASE_URL =
  process.env.HETAO_TEST_DATABASE_URL ?? 'postgres://hetao:hetao@127.0.0.1:5432/hetao_test';

export interface TestTarget {
  readonly name: 'sqlite' | 'postgres';
  /** Why it cannot run here, or null when it can. */
  readonly unavailable: string | null;
  fresh(): Promise<{ target: StoreTarget; cleanup(): Promise<void> }>;
}

let pgProbe: Promise<string | null> | undefined;

export function postgresUnavailable(): Promise<string | null> {
  pgProbe ??= (async () => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return null;
    } catch (err) {
      return `PostgreSQL at ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${(err as Error).message})`;
    } finally {
      await c.end().catch(() => {});
    }
  })();
  return pgProbe;
}

export const sqliteTarget: TestTarget = {
  name: 'sqlite',
  unavailable: null,
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'hetao-store-'));
    return {
      target: { kind: 'sqlite', path: join(dir, 'hetao.db') },
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export async function postgresTarget(): Promise<TestTarget> {
  const unavailable = await postgresUnavailable();
  return {
    name: 'postgres',
    unavailable,
    async fresh() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      return {
        target: { kind: 'postgres', url: TEST_DATABASE_URL, schema },
        cleanup: async () => {
          const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
          await c.connect();
          await c.query(`DROP SCHEMA ${schema} CASCADE`);
          await c.end();
        },
      };
    },
  };
}

/**
 * The message a skipped PostgreSQL run prints. Under CI=true a missing PostgreSQL is a failure, not a skip.
 */
export function skipNotice(reason: string): string {
  return `PostgreSQL suite SKIPPED: ${reason}. Enable it with \`sudo scripts/services-up.sh postgres\` (or set HETAO_TEST_DATABASE_URL).`;
}

export const mustHavePostgres = process.env.CI === 'true';
