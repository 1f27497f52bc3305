import { join } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import type { Output } from '../../cli/io.js';
import { HetaoError, systemClock } from '../../core/index.js';
import { createExecutor, ExchangeClient, SiteAgent } from '../../sites/index.js';

/** `hetao agent`: a compute centre's standalone agent, pulling work from the exchange over HTTP. */
export function agentCommand(program: Command, _io: Output): void {
  program
    .command('agent')
    .description("run a site agent: lease jobs from the exchange and run them on this centre's executor")
    .requiredOption('--exchange <url>', 'exchange URL')
    .requiredOption('--site <id>', 'the site this agent runs')
    .requiredOption('--token <token>', 'the site-agent token for that site')
    .option('--executor <kind>', 'local or slurm', 'local')
    .option('--home <dir>', "the agent's state directory (attempt records survive restarts)", './.hetao-agent')
    .option('--gpus <n>', 'local executor: GPUs on this machine to hand out as CUDA_VISIBLE_DEVICES', '0')
    .option('--cluster <name>', 'slurm: the cluster name', 'sz')
    .option('--slurm-conf <file>', 'slurm: the cluster slurm.conf (SLURM_CONF)', '/tmp/hetao-slurm/sz/etc/slurm.conf')
    .option('--jobs-dir <dir>', 'slurm: a directory the compute nodes share (default <home>/slurm-jobs)')
    .action(async (o) => {
      if (o.executor !== 'local' && o.executor !== 'slurm') {
        throw new HetaoError('HETAO_CLI_USAGE', `--executor must be local or slurm (got ${o.executor})`, {
          field: '--executor',
        });
      }
      const log = pino({ level: process.env.HETAO_LOG_LEVEL ?? 'info' });
      const executor =
        o.executor === 'slurm'
          ? createExecutor('slurm', {
              cluster: o.cluster,
              conf: o.slurmConf,
              jobsDir: o.jobsDir ?? join(o.home, 'slurm-jobs'),
            })
          : createExecutor('local', { baseDir: join(o.home, 'attempts'), gpus: Number(o.gpus) });
      const agent = new SiteAgent({
        client: new ExchangeClient(o.exchange, o.token),
        siteId: o.site,
        executor,
        clock: systemClock,
        log: (msg, fields) => log.info(fields ?? {}, msg),
      });
      await agent.start();
      log.info({ site: o.site, executor: o.executor }, 'agent running');
      await new Promise<void>((resolve) => {
        const stop = () => void agent.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await executor.close();
    });
}
