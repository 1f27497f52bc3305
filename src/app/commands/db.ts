import type { Command } from 'commander';
import type { Output } from '../../cli/io.js';
import { loadConfig } from '../../config/index.js';
import { openConfiguredStore } from '../configured-store.js';

/** `hetao db migrate`: bring the configured database to this build's schema (the exchange also does it on start). */
export function dbCommands(program: Command, io: Output): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending schema migrations to the configured database (SQLite, or HETAO_DATABASE_URL)')
    .option('--home <dir>', 'state directory holding hetao.db (HETAO_HOME, default ./.hetao)')
    .option('--database-url <url>', 'postgres://… to migrate PostgreSQL instead (HETAO_DATABASE_URL)')
    .action(async (_opts, cmd: Command) => {
      const config = loadConfig(process.env, rawArgs(cmd.opts()));
      const store = openConfiguredStore(config);
      try {
        const r = await store.migrate(Date.now());
        io.out(
          r.applied.length
            ? `migrated ${store.dialect} from schema ${r.from} to ${r.to}: ${r.applied.join(', ')}`
            : `${store.dialect} is up to date at schema ${r.to}`,
        );
      } finally {
        await store.close();
      }
    });
}

/** The flags given to a subcommand, in the `--key value` form loadConfig reads. */
export function rawArgs(opts: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined) continue;
    out.push(`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v));
  }
  return out;
}
