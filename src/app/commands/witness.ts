import type { Command } from 'commander';
import type { Output } from '../../cli/io.js';
import { HetaoError } from '../../core/index.js';
import { loadWitnessSigner, startWitnessServer } from '../witness-server.js';

const collect = (v: string, all: string[]) => [...all, v];

function port(v: string): number {
  const n = Number(v);
  if (!/^[0-9]{1,5}$/.test(v) || n > 65_535)
    throw new HetaoError('HETAO_CLI_USAGE', `--port must be 0..65535 (got ${JSON.stringify(v)})`, { field: '--port' });
  return n;
}

/**
 * `hetao witness --name N --port P --home DIR --log-key VKEY…`: a regulator's c2sp.org/tlog-witness server;
 * `hetao witness key --name N --home DIR`: prints its cosignature verifier key (making the key on first use).
 */
export function witnessCommands(program: Command, io: Output): void {
  // Options after a subcommand belong to it (`witness key --name …` is not the server's --name). Commander needs
  // this on every ancestor; the root program has no options of its own, so nothing else changes.
  program.enablePositionalOptions();
  const witness = program
    .command('witness')
    .description('run a witness (c2sp.org/tlog-witness) that cosigns the exchange ledger')
    .enablePositionalOptions()
    .option('--name <name>', 'the witness key name, e.g. shenzhen-regulator')
    .option('--port <port>', 'TCP port to listen on (0: any free port)', '7380')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--home <dir>', 'directory for the witness key and state', './.hetao-witness')
    .option('--log-key <vkey>', "a log's verifier key (repeatable): GET /api/v1/ledger/key", collect, [])
    .action(async (opts: { name?: string; port: string; host: string; home: string; logKey: string[] }) => {
      if (!opts.name) throw new HetaoError('HETAO_CLI_USAGE', '--name is required', { field: '--name' });
      if (opts.logKey.length === 0)
        throw new HetaoError('HETAO_CLI_USAGE', 'give the log to witness with --log-key <vkey>', {
          field: '--log-key',
        });
      const server = await startWitnessServer({
        name: opts.name,
        home: opts.home,
        port: port(opts.port),
        host: opts.host,
        logKeys: opts.logKey,
        logger: false,
      });
      io.out(`witness ${opts.name} listening on ${server.url}`);
      io.out(`verifier key: ${server.verifierKey}`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
  witness
    .command('key')
    .description("print the witness's cosignature verifier key (configure the exchange with it)")
    .requiredOption('--name <name>', 'the witness key name')
    .option('--home <dir>', 'directory for the witness key and state', './.hetao-witness')
    .action((opts: { name: string; home: string }) => {
      io.out(loadWitnessSigner(opts.home, opts.name).verifierKey);
    });
}
