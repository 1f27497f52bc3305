import { defineErrors } from './define.js';

export const schedulerErrors = defineErrors('scheduler', {});
