import { agentRoutes } from './agents/routes.js';
import type { ApiInstance } from './api-instance.js';
import { installAuthentication } from './auth/authenticate.js';
import type { ApiDeps } from './deps.js';
import { flowRoutes } from './flows/routes.js';
import { installIdempotencyKeys } from './idempotency/idempotency-key.js';
import { jobRoutes } from './jobs/routes.js';
import { agreementRoutes } from './registry/agreements.js';
import { associationRoutes } from './registry/associations.js';
import { dataRoutes } from './registry/datasets.js';
import { meRoutes } from './registry/me.js';
import { organizationRoutes } from './registry/organizations.js';
import { scenarioRoutes } from './registry/scenarios.js';
import { siteRoutes } from './registry/sites.js';
import { statsRoutes } from './stats/routes.js';

/** Every authenticated resource under /api/v1. Extra plugins (jobs, agents, ledger) are passed in by app/. */
export async function registerResources(
  app: ApiInstance,
  deps: ApiDeps,
  extra: readonly ((app: ApiInstance) => Promise<void>)[] = [],
): Promise<void> {
  installAuthentication(app, deps.accounts, () => deps.clock.now());
  installIdempotencyKeys(app, deps.idempotency, () => deps.clock.now());
  await app.register(
    async (v1) => {
      const api = v1 as unknown as ApiInstance;
      for (const routes of [
        meRoutes,
        organizationRoutes,
        associationRoutes,
        siteRoutes,
        dataRoutes,
        scenarioRoutes,
        agreementRoutes,
        flowRoutes,
        jobRoutes,
        agentRoutes,
        statsRoutes,
      ]) {
        await routes(api, deps);
      }
      for (const routes of extra) await routes(api);
    },
    { prefix: '/api/v1' },
  );
}
