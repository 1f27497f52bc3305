import type { Command } from 'commander';
import { type Account, hashToken, newToken, ROLES, type Role, type Side } from '../../access/index.js';
import type { Output } from '../../cli/io.js';
import { loadConfig } from '../../config/index.js';
import { createIdGenerator, HetaoError, systemClock } from '../../core/index.js';
import { openConfiguredStore } from '../configured-store.js';
import { rawArgs } from './db.js';

/**
 * `hetao admin token create|list|revoke`: bearer tokens, straight in the configured database (operator only).
 * A running exchange caches a token's account for up to 5 s and checks its cached tokens for revocation every second, so a
 * revocation takes effect there within about a second.
 */
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
      await withStore(cmd, async (store) => {
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
      });
    });

  token
    .command('list')
    .description('list accounts (never their tokens): id, name, organization, role, revoked')
    .option('--org <id>', 'only this organization')
    .option('--home <dir>', 'state directory (HETAO_HOME)')
    .option('--database-url <url>', 'PostgreSQL (HETAO_DATABASE_URL)')
    .option('--json', 'print JSON')
    .action(async (o, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const accounts = await store.accounts.listAccounts(o.org);
        const rows = accounts.map((a) => ({
          accountId: a.id,
          name: a.name,
          orgId: a.orgId,
          role: a.role,
          ...(a.side ? { side: a.side } : {}),
          ...(a.siteId ? { siteId: a.siteId } : {}),
          revokedAt: a.revokedAt === null ? null : new Date(a.revokedAt).toISOString(),
        }));
        if (o.json) io.out(JSON.stringify({ items: rows }));
        else
          for (const r of rows)
            io.out(
              [r.accountId, r.orgId, r.role, r.name, r.revokedAt ? `revoked ${r.revokedAt}` : 'active'].join('\t'),
            );
      });
    });

  token
    .command('revoke')
    .description('revoke an account: its token stops working (a running exchange notices within about a second)')
    .requiredOption('--account <id>', 'the account id (see `hetao admin token list`)')
    .option('--home <dir>', 'state directory (HETAO_HOME)')
    .option('--database-url <url>', 'PostgreSQL (HETAO_DATABASE_URL)')
    .action(async (o, cmd: Command) => {
      await withStore(cmd, async (store) => {
        const account = (await store.accounts.listAccounts()).find((a) => a.id === o.account);
        if (!account)
          throw new HetaoError('HETAO_STORE_NOT_FOUND', `--account ${o.account} is not an account`, {
            field: '--account',
          });
        if (account.revokedAt === null) await store.accounts.revokeAccount(account.id, systemClock.now());
        io.out(`revoked ${account.id} (${account.name}, ${account.role} of ${account.orgId})`);
      });
    });
}

/** Opens the configured store (HETAO_HOME / HETAO_DATABASE_URL or the command's flags), migrated, for one task. */
async function withStore(cmd: Command, task: (store: ReturnType<typeof openConfiguredStore>) => Promise<void>) {
  const { home, databaseUrl } = cmd.opts();
  const config = loadConfig(process.env, rawArgs({ home, databaseUrl }));
  const store = openConfiguredStore(config);
  try {
    await store.migrate(systemClock.now());
    await task(store);
  } finally {
    await store.close();
  }
}
