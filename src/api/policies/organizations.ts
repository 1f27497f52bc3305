import { anyone, roles } from '../auth/rules.js';

/** The organization directory is visible to every account; only the exchange operator edits it. */
export const organizationPolicy = {
  list: anyone,
  read: anyone,
  create: roles('exchange-admin'),
  /** GPU shares divide every organization's capacity: the exchange operator sets them. */
  update: roles('exchange-admin'),
};
