import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freshStorePerTest } from '../testing/fresh-store.js';
import { mustHavePostgres, postgresTarget, skipNotice, TEST_DATABASE_URL } from '../testing/targets.js';

const target = await postgresTarget();

describe('PostgreSQL ledger storage (migration 006)', () => {
  const reason = target.unavailable;
  if (reason) {
    if (mustHavePostgres) it('has a PostgreSQL (CI=true requires it)', () => expect.fail(reason));
    else it.skip(skipNotice(reason), () => {});
    return;
  }
  const db = freshStorePerTest(target, Date.UTC(2026, 10, 28));

  it('compresses entry bundles with lz4 and keeps tile hashes out of line, uncompressed', async () => {
    const schema = (db.target as { schema?: string }).schema as string;
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      const r = await c.query<{ table: string; column: string; storage: string; compression: string }>(
        `SELECT c.relname AS table, a.attname AS column, a.attstorage AS storage, a.attcompression AS compression
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND (c.relname, a.attname) IN (('ledger_bundles', 'bytes'), ('ledger_tiles', 'hashes'))
          ORDER BY 1`,
        [schema],
      );
      expect(r.rows).toEqual([
        { table: 'ledger_bundles', column: 'bytes', storage: 'x', compression: 'l' },
        { table: 'ledger_tiles', column: 'hashes', storage: 'e', compression: '' },
      ]);
    } finally {
      await c.end();
    }
  });
});
