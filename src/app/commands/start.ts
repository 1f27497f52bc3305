import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { startExchange } from '../exchange.js';
import { rawArgs } from './db.js';

/** `hetao start`: the exchange (API, scheduler, ledger, dashboard) with demo data on first start. */
export function startCommand(program: Command): void {
  program
    .command('start')
    .description('run the exchange on HETAO_PORT (default 8080) with state in HETAO_HOME (default ./.hetao)')
    .option('--port <port>', 'TCP port (HETAO_PORT, default 8080)')
    .option('--host <host>', 'bind address (HETAO_HOST, default 127.0.0.1)')
    .option('--home <dir>', 'state directory (HETAO_HOME, default ./.hetao)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL instead of SQLite (HETAO_DATABASE_URL)')
    .option('--executor <kind>', 'how demo sites run jobs: local or slurm (HETAO_EXECUTOR, default local)')
    .option('--demo <bool>', 'seed demo data on first start (HETAO_DEMO, default true)')
    .option('--log-level <level>', 'pino log level (HETAO_LOG_LEVEL, default info)')
    .option('--ledger-batch-max <n>', 'most ledger entries per commit (HETAO_LEDGER_BATCH_MAX, default 4096)')
    .option('--slurm-sz-conf <file>', "slurm.conf of the Shenzhen demo site's cluster (HETAO_SLURM_SZ_CONF)")
    .option('--slurm-hk-conf <file>', "slurm.conf of the Hong Kong demo site's cluster (HETAO_SLURM_HK_CONF)")
    .option('--witnesses <list>', "external witnesses 'URL KEY;URL KEY' (HETAO_WITNESSES, default: embedded demo)")
    .option('--witness-quorum <n>', 'cosignatures a checkpoint needs (HETAO_WITNESS_QUORUM, default: all witnesses)')
    .action(async (_opts, cmd: Command) => {
      const config = loadConfig(process.env, rawArgs(cmd.opts()));
      const exchange = await startExchange(config);
      await new Promise<void>((resolve) => {
        const stop = () => {
          exchange.log.info('shutting down: finishing in-flight requests');
          void exchange.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
