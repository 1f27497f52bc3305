import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { api, targetFrom } from '../http.js';
import { type Output, readInput } from '../io.js';
import { table } from '../table.js';

interface Resource {
  readonly name: string;
  readonly path: string;
  readonly columns: readonly string[];
  readonly describe: string;
  /** POST actions on one object: `hetao associations approve ID`. */
  readonly actions?: readonly string[];
  readonly create?: boolean;
}

/** Every registry resource of the API, as the CLI offers it: list, get, create from a file, and its actions. */
const RESOURCES: readonly Resource[] = [
  {
    name: 'organizations',
    path: '/organizations',
    columns: ['id', 'name', 'jurisdiction', 'zone', 'isCIIO', 'isStartup', 'gpuShare'],
    describe: 'organizations on either side of the boundary',
    create: true,
  },
  {
    name: 'associations',
    path: '/associations',
    columns: ['id', 'orgA', 'orgB', 'basis', 'state'],
    describe: 'associations between enterprises (declared, confirmed, approved)',
    create: true,
    actions: ['confirm', 'approve', 'revoke'],
  },
  {
    name: 'sites',
    path: '/sites',
    columns: ['id', 'name', 'jurisdiction', 'gpus', 'pricePerGpuHour', 'currency', 'usage.gpusBusy'],
    describe: 'compute centres',
    create: true,
  },
  {
    name: 'data-types',
    path: '/data-types',
    columns: ['name', 'title', 'defaultClassification', 'containsPersonalInfo'],
    describe: 'data types (dotted names)',
    create: true,
  },
  {
    name: 'datasets',
    path: '/datasets',
    columns: ['id', 'name', 'dataType', 'classification', 'siteId', 'individuals'],
    describe: "your organization's datasets (metadata only)",
    create: true,
  },
  {
    name: 'scenarios',
    path: '/scenarios',
    columns: ['id', 'name', 'title', 'zone'],
    describe: 'pilot scenarios and their participants',
    create: true,
  },
  {
    name: 'general-data-list',
    path: '/general-data-list',
    columns: ['id', 'scenarioId', 'dataType', 'state', 'version', 'effectiveFrom'],
    describe: 'the general data list, entry by entry',
    create: true,
    actions: ['pilot', 'assess', 'list', 'suspend', 'reinstate', 'revoke'],
  },
  {
    name: 'agreements',
    path: '/agreements',
    columns: ['id', 'kind', 'exporterOrgId', 'importerOrgId', 'dataTypes', 'filedAt'],
    describe: 'standard contracts, GBA standard contracts, certifications, pilot filings',
    create: true,
  },
  {
    name: 'approvals',
    path: '/approvals',
    columns: ['id', 'exporterOrgId', 'importerOrgId', 'dataTypes', 'validUntil'],
    describe: 'security-assessment approvals',
    create: true,
  },
  {
    name: 'flows',
    path: '/flows',
    columns: ['id', 'at', 'exporterOrgId', 'importerOrgId', 'outcome', 'permitted', 'ledgerIndex'],
    describe: 'real flow requests (what-ifs: `hetao flows decide`)',
    create: true,
  },
];

const withTarget = (c: Command) =>
  c
    .option('--exchange <url>', 'exchange URL (HETAO_EXCHANGE, default http://127.0.0.1:8080)')
    .option('--token <token>', 'bearer token (HETAO_TOKEN)')
    .option('--json', 'print JSON for scripts instead of a table');

function body(file: string): unknown {
  const text = readInput(file, '--file');
  return parseYaml(text);
}

export function resourceCommands(program: Command, io: Output): void {
  for (const r of RESOURCES) {
    const cmd = program.command(r.name).description(r.describe);
    withTarget(cmd.command('list').description(`list ${r.name}`)).action(async (o) => {
      const page = await api<{ items: Record<string, unknown>[] }>(targetFrom(o), 'GET', r.path);
      io.out(o.json ? JSON.stringify(page, null, 2) : table(page.items, r.columns));
    });
    withTarget(cmd.command('get <id>').description(`show one of ${r.name}`)).action(async (id: string, o) => {
      io.out(JSON.stringify(await api(targetFrom(o), 'GET', `${r.path}/${encodeURIComponent(id)}`), null, 2));
    });
    if (r.create) {
      withTarget(cmd.command('create').description(`create from a JSON or YAML file (see docs/api.md)`))
        .requiredOption('--file <file>', 'the request body, or - for standard input')
        .action(async (o) => io.out(JSON.stringify(await api(targetFrom(o), 'POST', r.path, body(o.file)), null, 2)));
    }
    for (const action of r.actions ?? []) {
      // `list` the lifecycle step is `list-type` on the command line, beside `list` the listing.
      withTarget(
        cmd.command(`${action === 'list' ? 'list-type' : action} <id>`).description(`${action} one of ${r.name}`),
      )
        .option('--reason <text>', 'why (recorded in the history)')
        .option('--file <file>', 'extra body fields as JSON/YAML (e.g. result, evidenceDigest)')
        .action(async (id: string, o) => {
          const extra = o.file ? (body(o.file) as object) : {};
          const res = await api(targetFrom(o), 'POST', `${r.path}/${encodeURIComponent(id)}/${action}`, {
            ...(o.reason ? { reason: o.reason } : r.name === 'general-data-list' ? { reason: action } : {}),
            ...extra,
          });
          io.out(JSON.stringify(res, null, 2));
        });
    }
  }
  const orgs = program.commands.find((c) => c.name() === 'organizations') as Command;
  withTarget(
    orgs
      .command('set-share <id> <share>')
      .description("set an organization's guaranteed share of all GPUs, 0..1 (exchange operator)"),
  ).action(async (id: string, share: string, o) => {
    const t = targetFrom(o);
    const path = `/organizations/${encodeURIComponent(id)}`;
    const cur = await api<{ version: number }>(t, 'GET', path);
    const gpuShare = share.trim() === '' ? Number.NaN : Number(share);
    io.out(JSON.stringify(await api(t, 'PATCH', path, { gpuShare, version: cur.version }), null, 2));
  });
  withTarget(program.command('me').description('who the token belongs to')).action(async (o) =>
    io.out(JSON.stringify(await api(targetFrom(o), 'GET', '/me'), null, 2)),
  );
}
