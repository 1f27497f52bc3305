import type { Command } from 'commander';
import { api, type ExchangeTarget, targetFrom } from '../http.js';
import { type Output, parseJsonInput, readInput } from '../io.js';
import { table } from '../table.js';

interface JobView {
  id: string;
  name: string;
  state: string;
  placement: { siteName: string; explanation: string } | null;
  waitingReason: string | null;
  execution: { exitCode?: number } | null;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'timed-out']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const withTarget = (c: Command) =>
  c
    .option('--exchange <url>', 'exchange URL (HETAO_EXCHANGE, default http://127.0.0.1:8080)')
    .option('--token <token>', 'bearer token (HETAO_TOKEN)')
    .option('--json', 'print JSON for scripts');

/** Follows a job to its end: a live status line on stderr, its log streamed to stdout. Returns the final job. */
async function watch(t: ExchangeTarget, id: string, io: Output, live: boolean): Promise<JobView> {
  let printed = 0;
  let last = '';
  for (;;) {
    const job = await api<JobView>(t, 'GET', `/jobs/${id}`);
    const log = await api<string>(t, 'GET', `/jobs/${id}/logs`);
    if (log.length > printed) {
      process.stdout.write(log.slice(printed));
      printed = log.length;
    }
    const status = `${job.name} ${job.state}${job.placement ? ` at ${job.placement.siteName}` : ''}`;
    if (status !== last) {
      if (live) process.stderr.write(`\r\x1b[2K${status}`);
      else io.err(status);
      last = status;
    }
    if (TERMINAL.has(job.state)) {
      if (live) process.stderr.write('\n');
      return job;
    }
    await sleep(500);
  }
}

export function jobCommands(program: Command, io: Output): void {
  const jobs = program.command('jobs').description('AI jobs: submit, follow, list, cancel');
  withTarget(jobs.command('submit <file>').description('submit a job spec (YAML or JSON; contract.md "Job spec")'))
    .option('--watch', 'follow the job with a live status line and stream its logs')
    .option(
      '--idempotency-key <key>',
      'submit at most once under this key (a script that reruns, say with its build id, gets the first job back)',
    )
    .action(async (file: string, o) => {
      const t = targetFrom(o);
      const job = await api<JobView>(t, 'POST', '/jobs', readInput(file, 'file'), {
        contentType: 'application/yaml',
        ...(o.idempotencyKey ? { idempotencyKey: String(o.idempotencyKey) } : {}),
      });
      if (o.json && !o.watch) return io.out(JSON.stringify(job, null, 2));
      if (!o.watch) return io.out(`submitted ${job.id} (${job.state})`);
      const end = await watch(t, job.id, io, process.stderr.isTTY === true);
      if (o.json) io.out(JSON.stringify(await api(t, 'GET', `/jobs/${job.id}`), null, 2));
      if (end.state !== 'succeeded') process.exitCode = 1;
    });
  withTarget(jobs.command('list').description("your organization's jobs"))
    .option('--state <state>', 'only jobs in this state')
    .action(async (o) => {
      const page = await api<{ items: Record<string, unknown>[] }>(
        targetFrom(o),
        'GET',
        `/jobs${o.state ? `?state=${o.state}` : ''}`,
      );
      io.out(
        o.json
          ? JSON.stringify(page, null, 2)
          : table(page.items, ['id', 'name', 'state', 'placement.siteName', 'execution.exitCode']),
      );
    });
  withTarget(jobs.command('get <id>').description('a job with its placement explanation and state timeline')).action(
    async (id: string, o) => {
      const job = await api<JobView & Record<string, unknown>>(targetFrom(o), 'GET', `/jobs/${id}`);
      if (o.json) return io.out(JSON.stringify(job, null, 2));
      io.out(`${job.id} ${job.name}: ${job.state}`);
      io.out(job.placement ? job.placement.explanation : (job.waitingReason ?? 'not placed yet'));
    },
  );
  withTarget(jobs.command('logs <id>').description("the job's output")).action(async (id: string, o) => {
    io.out(await api<string>(targetFrom(o), 'GET', `/jobs/${id}/logs`));
  });
  withTarget(jobs.command('watch <id>').description('follow a job to its end')).action(async (id: string, o) => {
    await watch(targetFrom(o), id, io, process.stderr.isTTY === true);
  });
  withTarget(jobs.command('cancel <id>').description('cancel a job that has not ended')).action(
    async (id: string, o) => {
      const job = await api<JobView>(targetFrom(o), 'POST', `/jobs/${id}/cancel`);
      io.out(o.json ? JSON.stringify(job, null, 2) : `${job.id} ${job.state}`);
    },
  );

  withTarget(program.commands.find((c) => c.name() === 'flows')?.command('decide') ?? program.command('flows-decide'))
    .description('ask the exchange: may this data go there? (a what-if, recorded nowhere)')
    .requiredOption('--input <file>', 'flow context JSON (rulebook "Input"), or -')
    .action(async (o) => {
      const ctx = parseJsonInput(readInput(o.input, '--input'), '--input');
      io.out(JSON.stringify(await api(targetFrom(o), 'POST', '/flows/decide', ctx), null, 2));
    });
}
