import { everyItem } from '../../registry/index.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, people, readsEverything } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { flowCounts, startOfDay } from '../flows/routes.js';
import { usageOf } from '../registry/sites.js';

const SIGNATURE_LINE = /^— (\S+) (\S+)$/;

/**
 * When the witnesses cosigned the checkpoint, in ms: a cosignature/v1 signature is key hash (4 bytes), timestamp
 * (8 bytes, big-endian seconds), signature (64 bytes). Ed25519 log signatures (68 bytes) carry no time.
 */
function cosignedAt(lines: readonly string[]): number | null {
  let latest: number | null = null;
  for (const l of lines) {
    const m = SIGNATURE_LINE.exec(l);
    const sig = m ? Buffer.from(m[2] as string, 'base64') : null;
    if (sig?.length === 76) latest = Math.max(latest ?? 0, Number(sig.readBigUInt64BE(4)) * 1000);
  }
  return latest;
}

/** The dashboard's overview: sites with their use, jobs by state, today's flows by decision, the ledger head. */
export async function statsRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.get('/stats/overview', async (req) => {
    const actor = actorOf(req);
    assertAllowed(people, actor, 'see the overview');
    const all = readsEverything(actor);
    const sites = await everyItem((p) => deps.registry.listSites(p));
    const usage = await deps.usage.bySite();
    const jobs = await deps.jobs.countJobs(all ? {} : { orgId: actor.orgId });
    const checkpoint = await deps.ledgerStatus.published();
    const lines = checkpoint?.split('\n') ?? [];
    return {
      sites: sites.map((s) => ({
        id: s.id,
        name: s.name,
        jurisdiction: s.jurisdiction,
        latitude: s.latitude,
        longitude: s.longitude,
        ...usageOf(usage, s),
      })),
      jobs,
      flowsToday: await flowCounts(deps, all ? undefined : actor.orgId, startOfDay(deps.clock.now())),
      ledger: {
        size: deps.ledgerStatus.size(),
        checkpointSize: lines[1] ? Number(lines[1]) : 0,
        origin: lines[0] ?? null,
        checkpointAt: cosignedAt(lines),
        cosigners: lines.map((l) => SIGNATURE_LINE.exec(l)?.[1]).filter((n): n is string => !!n && n !== lines[0]),
      },
    };
  });
}
