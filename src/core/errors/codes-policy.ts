import { defineErrors } from './define.js';

export const policyErrors = defineErrors('policy', {});
