import { defineErrors } from './define.js';

export const sitesErrors = defineErrors('sites', {});
