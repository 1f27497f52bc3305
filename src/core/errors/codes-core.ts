import { defineErrors } from './define.js';

export const coreErrors = defineErrors('core', {
  HETAO_INTERNAL: {
    status: 500,
    summary: 'an unexpected internal error',
    fix: 'Report it with the request id from the log; the cause is kept in the log.',
  },
  HETAO_ID_INVALID: {
    status: 400,
    summary: 'an identifier is not of the expected form',
    fix: 'Use the id exactly as the exchange returned it (prefix, underscore, 26 Crockford base32 characters).',
  },
  HETAO_CONFIG_INVALID: {
    status: 500,
    summary: 'one or more configuration keys are invalid',
    fix: 'Correct every key the message lists (environment variable or command-line flag) and start again.',
  },
});
