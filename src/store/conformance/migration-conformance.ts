import { type Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../../core/index.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, migrate, schemaVersion } from '../migrations/index.js';
import { openStore } from '../open-store.js';
import { raceMigrators } from '../testing/race-migrators.js';
import type { TestTarget } from '../testing/targets.js';

const T = Date.UTC(2026, 10, 28);

/** Migrations: from an empty database, idempotent, serialised, all-or-nothing, refusing newer databases. */
export function migrationConformance(target: TestTarget): void {
  describe('migrations', () => {
    it('bring an empty database to the latest version, then do nothing', async () => {
      const { target: t, cleanup } = await target.fresh();
      const store = openStore(t);
      try {
        expect(await schemaVersion(store.db as unknown as Kysely<unknown>)).toBe(0);
        const first = await store.migrate(T);
        expect(first).toMatchObject({ from: 0, to: LATEST_SCHEMA_VERSION });
        expect(first.applied).toHaveLength(LATEST_SCHEMA_VERSION);
        const again = await store.migrate(T);
        expect(again.applied).toEqual([]);
        expect(await store.registry.listDataTypes()).toEqual([]);
      } finally {
        await store.close();
        await cleanup();
      }
    });

    it('run once when two processes migrate at the same moment', async () => {
      const { target: t, cleanup } = await target.fresh();
      const a = openStore(t);
      try {
        await a.migrate(T);
        const reports = await raceMigrators(t, 2);
        expect(reports.flatMap((r) => r.applied)).toEqual([`${LATEST_SCHEMA_VERSION + 1}-extra`]);
        expect(await schemaVersion(a.db as unknown as Kysely<unknown>)).toBe(LATEST_SCHEMA_VERSION + 1);
      } finally {
        await a.close();
        await cleanup();
      }
    });

    it('roll a failing migration back completely', async () => {
      const { target: t, cleanup } = await target.fresh();
      const store = openStore(t);
      try {
        await store.migrate(T);
        const broken: Migration = {
          version: LATEST_SCHEMA_VERSION + 1,
          name: 'broken',
          up: async (db) => {
            await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
            await sql`SELECT no_such_column FROM half_done`.execute(db);
          },
        };
        const err = await migrate(store.db as unknown as Kysely<unknown>, store.dialect, T, [
          ...MIGRATIONS,
          broken,
        ]).catch((e: HetaoError) => e);
        expect((err as HetaoError).code).toBe('HETAO_STORE_MIGRATION_FAILED');
        expect(await schemaVersion(store.db as unknown as Kysely<unknown>)).toBe(LATEST_SCHEMA_VERSION);
        const probe = await sql`SELECT 1 FROM half_done`.execute(store.db).then(
          () => 'exists',
          () => 'absent',
        );
        expect(probe).toBe('absent');
      } finally {
        await store.close();
        await cleanup();
      }
    });

    it('refuse a database migrated by newer code', async () => {
      const { target: t, cleanup } = await target.fresh();
      const store = openStore(t);
      try {
        await store.migrate(T);
        await sql`INSERT INTO hetao_schema_version (version, name, applied_at) VALUES (${LATEST_SCHEMA_VERSION + 5}, 'future', ${T})`.execute(
          store.db,
        );
        const err = (await store.migrate(T).catch((e: HetaoError) => e)) as HetaoError;
        expect(err.code).toBe('HETAO_STORE_SCHEMA_TOO_NEW');
        expect(err.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 5}`);
      } finally {
        await store.close();
        await cleanup();
      }
    });
  });
}
