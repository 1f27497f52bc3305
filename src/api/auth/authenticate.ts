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

  const lookUp = async (token: string, t: number): Promise<Actor | null> => {
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
    if (cache.size > 10_000) cache.clear();
    cache.set(token, { actor, until: t + 5_000 });
    return actor;
  };

  const admit = (req: FastifyRequest, actor: Actor | null): void => {
    if (!actor) throw new HetaoError('HETAO_API_UNAUTHENTICATED', 'the bearer token is unknown or revoked');
    // A site agent's token is for the agent protocol only (and /me): it never reads the registry or jobs.
    if (actor.role === 'site-agent' && !/^\/api\/v1\/(agent\/|me$)/.test(req.url)) {
      throw new HetaoError(
        'HETAO_API_FORBIDDEN',
        'a site-agent token is for the agent protocol only (allowed: people)',
      );
    }
    req.actor = actor;
  };

  // A callback hook, not an async one: a cached token (the hot path) is admitted without a promise or a query.
  app.addHook('onRequest', (req: FastifyRequest, _reply, done) => {
    // Everything outside /api/v1 (dashboard, docs, health, metrics) is public; inside, routes opt out explicitly.
    if (!req.url.startsWith('/api/v1/')) return done();
    const route = req.routeOptions; // a getter that builds an object: read once
    if (route.config?.public || !route.url) return done();
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return done(new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>'));
    const token = m[1] as string;
    const t = now();
    // Cached by the token itself (process memory only), so a hot path pays neither a hash nor a query.
    const hit = cache.get(token);
    if (hit && hit.until >= t) {
      try {
        admit(req, hit.actor);
      } catch (err) {
        return done(err as Error);
      }
      return done();
    }
    lookUp(token, t).then(
      (actor) => {
        try {
          admit(req, actor);
        } catch (err) {
          return done(err as Error);
        }
        done();
      },
      (err: Error) => done(err),
    );
  });
}

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>');
  return req.actor;
}
