import { anyone, roles } from '../auth/rules.js';

/** Sites are public to every account (researchers choose among them); the operator registers them. */
export const sitePolicy = { list: anyone, read: anyone, create: roles('exchange-admin') };
