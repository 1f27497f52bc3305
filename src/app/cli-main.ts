import { Command, CommanderError } from 'commander';
import { jobCommands } from '../cli/commands/jobs.js';
import { ledgerCommands } from '../cli/commands/ledger.js';
import { policyCommands } from '../cli/commands/policy.js';
import { resourceCommands } from '../cli/commands/resources.js';
import { simulateCommand } from '../cli/commands/simulate.js';
import { type Output, stdio } from '../cli/io.js';
import { HetaoError, isHetaoError } from '../core/index.js';
import { adminCommands } from './commands/admin.js';
import { agentCommand } from './commands/agent.js';
import { dbCommands } from './commands/db.js';
import { startCommand } from './commands/start.js';
import { witnessCommands } from './commands/witness.js';

/** Builds the `hetao` command tree. Composition root for the CLI: the only place commands meet adapters. */
export function buildProgram(io: Output = stdio): Command {
  const program = new Command('hetao')
    .description(
      'Hetao: shared compute, cross-boundary data-flow decisions and a co-signed ledger for Shenzhen–Hong Kong',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();
  startCommand(program);
  dbCommands(program, io);
  policyCommands(program, io);
  ledgerCommands(program, io);
  witnessCommands(program, io);
  simulateCommand(program, io);
  resourceCommands(program, io);
  jobCommands(program, io);
  agentCommand(program, io);
  adminCommands(program, io);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 2 bad input, 1 anything else). */
export async function main(argv: readonly string[], io: Output = stdio): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      return 2;
    }
    if (isHetaoError(err)) {
      io.err(`${err.code}: ${err.message}`);
      return err.status < 500 ? 2 : 1;
    }
    const wrapped = new HetaoError('HETAO_INTERNAL', (err as Error)?.message ?? String(err), { cause: err });
    io.err(`${wrapped.code}: ${wrapped.message}`);
    return 1;
  }
}
