import type { Command } from 'commander';
import { HetaoError } from '../../core/index.js';
import { runSimulateCommand, SCHEDULERS, TRACE_FORMATS } from '../../scheduler/index.js';
import { type Output, readInput } from '../io.js';

/** `hetao simulate`: replays a trace over sites with the same placement code as the exchange (contract.md). */
export function simulateCommand(program: Command, io: Output): void {
  program
    .command('simulate')
    .description('replay a GPU-cluster trace over sites and print the scheduler figures (contract.md)')
    .requiredOption('--trace <file>', 'trace file (hetao CSV, openb pod list, or tiresias CSV)')
    .requiredOption(
      '--sites <file>',
      'sites YAML: sites: [{id, jurisdiction, gpus: {TYPE: N}, pricePerGpuHour, subsidyRate}]',
    )
    .option('--format <format>', `trace format: ${TRACE_FORMATS.join(', ')}`, 'hetao')
    .option('--scheduler <name>', `scheduler: ${SCHEDULERS.join(', ')} (fifo is the baseline)`, 'hetao')
    .option('--json', 'print the result as one JSON object (the default output)')
    .action((o: { trace: string; sites: string; format: string; scheduler: string; json?: boolean }) => {
      if (!(TRACE_FORMATS as readonly string[]).includes(o.format)) {
        throw new HetaoError(
          'HETAO_CLI_USAGE',
          `--format must be one of ${TRACE_FORMATS.join(', ')} (got ${o.format})`,
          { field: '--format' },
        );
      }
      if (!(SCHEDULERS as readonly string[]).includes(o.scheduler)) {
        throw new HetaoError(
          'HETAO_CLI_USAGE',
          `--scheduler must be one of ${SCHEDULERS.join(', ')} (got ${o.scheduler})`,
          { field: '--scheduler' },
        );
      }
      const result = runSimulateCommand({
        traceText: readInput(o.trace, '--trace'),
        sitesText: readInput(o.sites, '--sites'),
        format: o.format as (typeof TRACE_FORMATS)[number],
        scheduler: o.scheduler as (typeof SCHEDULERS)[number],
      });
      io.out(JSON.stringify(result));
    });
}
