import { defineErrors } from './define.js';

export const ledgerErrors = defineErrors('ledger', {});
