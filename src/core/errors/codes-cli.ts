import { defineErrors } from './define.js';

export const cliErrors = defineErrors('cli', {
  HETAO_CLI_INPUT: {
    status: 400,
    summary: 'a command-line input could not be read or parsed',
    fix: 'Check the path given to the option (or pipe the input with `-`) and that the file is valid JSON or YAML.',
  },
  HETAO_CLI_USAGE: {
    status: 400,
    summary: 'the command line is not valid for this command',
    fix: 'Run the command with --help to see its options and arguments.',
  },
  HETAO_CLI_UNREACHABLE: {
    status: 503,
    summary: 'the exchange could not be reached',
    fix: 'Check --exchange (or HETAO_EXCHANGE) and that the exchange is running (`curl URL/healthz`).',
  },
});
