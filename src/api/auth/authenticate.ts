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

export interface Authentication {
  /**
   * Drops cached tokens whose accounts have been revoked since they were cached (the exchange runs it every
   * REVOCATION_CHECK_MS, so a revocation written by another process, the CLI, takes effect within it). Returns how
   * many were dropped.
   */
  dropRevoked(): Promise<number>;
}

/** How often cached tokens are checked against revocations, ms. */
export const REVOCATION_CHECK_MS = 1_000;

/**
 * Bearer-token authentication for every route under /api/v1/ not marked `config: { public: true }`; install it
 * before those routes are registered. Tokens are looked up by their SHA-256; answers are cached for 5 s so a hot
 * path does not hit the database per request, and cached tokens are checked for revocation every second.
 */
export function installAuthentication(app: ApiInstance, accounts: AccountStore, now: () => number): Authentication {
  const cache = new Map<string, { actor: Actor | null; until: number; hash: string }>();
  app.decorateRequest('actor', null);

  const lookUp = async (token: string, t: number): Promise<Actor | null> => {
    const hash = hashToken(token);
    const account = await accounts.findAccountByTokenHash(hash);
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
    cache.set(token, { actor, until: t + 5_000, hash });
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
  /** Admits the request, or hands Fastify the refusal. */
  const admitThen = (req: FastifyRequest, actor: Actor | null, done: HookHandlerDoneFunction): void => {
    try {
      admit(req, actor);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  };

  // A callback hook, not an async one: a cached token (the hot path) is admitted without a promise or a query.
  const authenticate = (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const header = req.headers.authorization ?? '';
    // the common spelling without a regular expression; any other case of the scheme by the expression
    const token = header.startsWith('Bearer ') && header.indexOf(' ', 7) === -1 ? header.slice(7) : bearerOf(header);
    if (!token) return done(new HetaoError('HETAO_API_UNAUTHENTICATED', 'send Authorization: Bearer <token>'));
    const t = now();
    const hit = cache.get(token);
    if (hit && hit.until >= t) return admitThen(req, hit.actor, done);
    lookUp(token, t).then(
      (actor) => admitThen(req, actor, done),
      (err: Error) => done(err),
    );
  };

  const dropRevoked = async (): Promise<number> => {
    const admitted = [...cache].filter(([, e]) => e.actor !== null);
    if (admitted.length === 0) return 0;
    const revoked = new Set(await accounts.revokedAmong(admitted.map(([, e]) => e.hash)));
    let dropped = 0;
    for (const [token, e] of admitted)
      if (revoked.has(e.hash) && cache.get(token) === e) {
        cache.delete(token);
        dropped++;
      }
    return dropped;
  };
  const timer = setInterval(() => void dropRevoked().catch(() => {}), REVOCATION_CHECK_MS);
  timer.unref();
  app.addHook('onClose', (_app, done) => {
    clearInterval(timer);
    done();
  });

  // Every route under /api/v1/ not marked public gets the check as a hook of its own, decided once when the
  // route is registered rather than per request. Requests no route matched are not checked (they answer 404).
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || route.config?.public) return;
    route.onRequest = route.onRequest ? [authenticate, route.onRequest].flat() : [authenticate];
  });
  return { dropRevoked };
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
