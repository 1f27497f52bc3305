import type { Command } from 'commander';
import { decideInput, renderRulebook } from '../../policy/index.js';
import { type Output, parseJsonInput, readInput } from '../io.js';

/** `hetao policy decide --input FILE|-` and `hetao policy rules`: the engine locally, no exchange needed. */
export function policyCommands(program: Command, io: Output): void {
  const policy = program.command('policy').description('the flow policy engine (rulebook.md), run locally');
  policy
    .command('decide')
    .description('decide one flow context (JSON, rulebook "Input"); prints the decision JSON')
    .requiredOption('--input <file>', 'file holding the flow context, or - for standard input')
    .action((opts: { input: string }) => {
      const decision = decideInput(parseJsonInput(readInput(opts.input, '--input'), '--input'));
      io.out(JSON.stringify(decision, null, 2));
    });
  policy
    .command('rules')
    .description('print the rulebook: each rule in evaluation order, with its sources')
    .action(() => io.out(renderRulebook()));
}
