import { defineErrors } from './define.js';

export const registryErrors = defineErrors('registry', {});
