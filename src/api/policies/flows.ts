import { people, roles } from '../auth/rules.js';

/** Anyone may ask a what-if; an exporter's members request real flows; parties and overseers see them. */
export const flowPolicy = {
  decide: people,
  request: roles('org-admin', 'org-member'),
  list: people,
};
