import type { FastifyRequest } from 'fastify';
import { type AccountStore, type Actor, hashToken } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import type { ApiInstance } from '../api-instance.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller; set on every route not marked public. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Route needs no token (health, metrics, the public ledger, the dashboard's static files). */
    public?: boolean;
  }
}

/**
 * Bearer-token authentication for every route not marked `config: { public: true }`. Tokens are looked up by
 * their SHA-256; answers are cached briefly so a hot path does not hit the database per request.
 */
export function installAuthentication(app: ApiInstance, accounts: AccountStore, now: () => number): void {
  const cache = new Map<string, { actor: Actor | null; until: number }>();
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (req: FastifyRequest) => {
    // Everything outside /api/v1 (dashboard, docs, health, metrics) is public; inside, routes opt out explicitly.
    if (!req.url.startsWith('/api/v1/') || req.routeOptions.config?.public || !req.routeOptions.url) return;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) {
      throw new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>');
    }
    const token = m[1] as string;
    const t = now();
    // Cached by the token itself (process memory only), so a hot path pays neither a hash nor a query.
    let hit = cache.get(token);
    if (!hit || hit.until < t) {
      const account = await accounts.findAccountByTokenHash(hashToken(token));
      const actor: Actor | null =
        account && account.revokedAt === null
          ? {
              accountId: account.id,
              name: account.name,
              orgId: account.orgId,
              role: account.role,
              side: account.side,
              siteId: account.siteId,
            }
          : null;
      hit = { actor, until: t + 5_000 };
      if (cache.size > 10_000) cache.clear();
      cache.set(token, hit);
    }
    if (!hit.actor) throw new HetaoError('HETAO_API_UNAUTHENTICATED', 'the bearer token is unknown or revoked');
    // A site agent's token is for the agent protocol only (and /me): it never reads the registry or jobs.
    if (hit.actor.role === 'site-agent' && !/^\/api\/v1\/(agent\/|me$)/.test(req.url)) {
      throw new HetaoError(
        'HETAO_API_FORBIDDEN',
        'a site-agent token is for the agent protocol only (allowed: people)',
      );
    }
    req.actor = hit.actor;
  });
}

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>');
  return req.actor;
}
