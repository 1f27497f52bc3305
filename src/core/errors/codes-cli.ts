import { defineErrors } from './define.js';

export const cliErrors = defineErrors('cli', {});
