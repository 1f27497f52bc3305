/**
 * Test helper run as a separate process: opens the store target given as JSON in argv[2], waits for the
 * go-file to appear (so racers start together), migrates with one extra migration, prints the report as JSON.
 */
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { MIGRATIONS, migrate } from '../migrations/index.js';
import { openStore, type StoreTarget } from '../open-store.js';

const target = JSON.parse(process.argv[2] as string) as StoreTarget;
const go = process.argv[3] as string;
const store = openStore(target);
const extra = {
  version: MIGRATIONS.length + 1,
  name: 'extra',
  up: async (db: Kysely<unknown>) => {
    await db.schema.createTable('extra_table').addColumn('x', 'integer').execute();
    await new Promise((r) => setTimeout(r, 200));
  },
};
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
try {
  const report = await migrate(store.db as unknown as Kysely<unknown>, store.dialect, Date.now(), [
    ...MIGRATIONS,
    extra,
  ]);
  process.stdout.write(JSON.stringify(report));
} finally {
  await store.close();
}
