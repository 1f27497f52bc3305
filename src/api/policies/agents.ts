import type { Actor } from '../../access/index.js';
import { type Rule, roles } from '../auth/rules.js';

/** The agent protocol belongs to site-agent tokens, each only for its own site. */
export const agentPolicy = {
  use: roles('site-agent'),
  site: ((a: Actor, siteId?: string) => a.role === 'site-agent' && a.siteId === siteId) as Rule<string>,
};
