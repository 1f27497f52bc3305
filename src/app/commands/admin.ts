import type { Command } from 'commander';
import { type Account, hashToken, newToken, ROLES, type Role, type Side } from '../../access/index.js';
import type { Output } from '../../cli/io.js';
import { loadConfig } from '../../config/index.js';
import { createIdGenerator, HetaoError, systemClock } from '../../core/index.js';
import { openConfiguredStore } from '../configured-store.js';
import { rawArgs } from './db.js';

/** `hetao admin token create`: issues a bearer token, straight into the configured database (operator only). */
export function adminCommands(program: Command, io: Output): void {
  const admin = program.command('admin').description("operator tasks run on the exchange's own machine");
  const token = admin.command('token').description('bearer tokens');
  token
    .command('create')
    .description('create an account and print its token (shown once; only its hash is stored)')
    .requiredOption('--org <id>', 'organization id the account belongs to')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--name <name>', 'a label for the account', 'cli')
    .option('--side <side>', 'regulators: mainland or hk')
    .option('--site <id>', 'site agents: the site the token acts for')
    .option('--home <dir>', 'state directory (HETAO_HOME)')
    .option('--database-url <url>', 'PostgreSQL (HETAO_DATABASE_URL)')
    .option('--json', 'print JSON')
    .action(async (o, cmd: Command) => {
      const role = o.role as Role;
      if (!ROLES.includes(role))
        throw new HetaoError('HETAO_CLI_USAGE', `--role must be one of ${ROLES.join(', ')}`, { field: '--role' });
      if (role === 'regulator' && o.side !== 'mainland' && o.side !== 'hk') {
        throw new HetaoError('HETAO_CLI_USAGE', 'a regulator needs --side mainland or --side hk', { field: '--side' });
      }
      if (role === 'site-agent' && !o.site)
        throw new HetaoError('HETAO_CLI_USAGE', 'a site agent needs --site', { field: '--site' });
      const { home, databaseUrl } = cmd.opts();
      const config = loadConfig(process.env, rawArgs({ home, databaseUrl }));
      const store = openConfiguredStore(config);
      try {
        await store.migrate(systemClock.now());
        if (!(await store.registry.getOrganization(o.org))) {
          throw new HetaoError('HETAO_STORE_REFERENCE', `--org ${o.org} is not a registered organization`, {
            field: '--org',
          });
        }
        if (o.site && !(await store.registry.getSite(o.site))) {
          throw new HetaoError('HETAO_STORE_REFERENCE', `--site ${o.site} is not a registered site`, {
            field: '--site',
          });
        }
        const secret = newToken();
        const account: Account = {
          id: createIdGenerator(() => systemClock.now()).next('acct'),
          name: o.name,
          orgId: o.org,
          role,
          side: role === 'regulator' ? (o.side as Side) : null,
          siteId: role === 'site-agent' ? o.site : null,
          tokenHash: hashToken(secret),
          createdAt: systemClock.now(),
          revokedAt: null,
        };
        await store.accounts.insertAccount(account);
        io.out(o.json ? JSON.stringify({ accountId: account.id, orgId: o.org, role, token: secret }) : secret);
      } finally {
        await store.close();
      }
    });
}
