import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
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
 * Bearer-token authentication for every route under /api/v1/ not marked `config: { public: true }`; install it
 * before those routes are registered. Tokens are looked up by
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
  const authenticate = (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const header = req.headers.authorization ?? '';
    // the common spelling without a regular expression; any other case of the scheme by the expression
    const token = header.startsWith('Bearer ') && header.indexOf(' ', 7) === -1 ? header.slice(7) : bearerOf(header);
    if (!token) return done(new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>'));
    const t = now();
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
  };

  // Every route under /api/v1/ not marked public gets the check as a hook of its own, decided once when the
  // route is registered rather than per request. Requests no route matched are not checked (they answer 404).
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || route.config?.public) return;
    route.onRequest = route.onRequest ? [authenticate, route.onRequest].flat() : [authenticate];
  });
}

function bearerOf(header: string): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? (m[1] as string) : null;
}

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>');
  return req.actor;
}
