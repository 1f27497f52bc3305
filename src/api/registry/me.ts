import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import type { ApiDeps } from '../deps.js';

/** Who the token belongs to: the dashboard uses it to offer only what the role may do. */
export async function meRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/me', async (req) => {
    const a = actorOf(req);
    return {
      account: { id: a.accountId, name: a.name, role: a.role, orgId: a.orgId, side: a.side, siteId: a.siteId },
      organization: await deps.registry.getOrganization(a.orgId),
    };
  });
}
