import { createHash, randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyStore } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import type { ApiInstance } from '../api-instance.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that changes nothing (a what-if): it takes no idempotency key. */
    changesNothing?: boolean;
  }
  interface FastifyRequest {
    /** The idempotency key this request claimed; its answer is stored when it is sent. */
    idempotencyKey: { readonly accountId: string; readonly key: string } | null;
  }
}

/** Printable ASCII without quotes or spaces, as a UUID or any client-made token is. */
const KEY = /^[A-Za-z0-9._:~+/=-]{1,255}$/;

/** The key of `Idempotency-Key: "…"` (a structured-field string; a bare token is taken as well), or null. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const raw = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
  const v = raw?.trim() ?? '';
  const key = v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
  if (!KEY.test(key)) {
    throw new HetaoError(
      'HETAO_API_VALIDATION',
      'Idempotency-Key must be one quoted string of 1 to 255 letters, digits or ._:~+/=- (a UUID, say)',
      { field: 'Idempotency-Key' },
    );
  }
  return key;
}

/** What a retry must repeat: the method, the path with its query, and the body as parsed. */
export const requestFingerprint = (method: string, url: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method} ${url}\n`)
    .update(JSON.stringify(body ?? null))
    .digest('hex');

const iso = (t: number) => new Date(t).toISOString();

type OnSendDone = (err: Error | null, payload?: unknown) => void;

/**
 * The `Idempotency-Key` header on every authenticated POST and PATCH under /api/v1 (install after authentication,
 * before the routes). A request with a key runs once per account and key: a retry of it (same method, path and
 * body) is answered with the first answer and `Idempotent-Replayed: true`, without running again. A 5xx answer is
 * not kept, so its retry runs. A request that is not valid (400) claims nothing.
 */
export function installIdempotencyKeys(app: ApiInstance, store: IdempotencyStore, now: () => number): void {
  const owner = randomUUID(); // this process: a key left in flight by another one has an unknown outcome
  app.decorateRequest('idempotencyKey', null);

  const claim = async (req: FastifyRequest, reply: FastifyReply) => {
    const key = parseIdempotencyKey(req.headers['idempotency-key']);
    if (key === null || !req.actor) return;
    const accountId = req.actor.accountId;
    const c = await store.claimKey(accountId, key, requestFingerprint(req.method, req.url, req.body), owner, now());
    switch (c.kind) {
      case 'claimed':
        req.idempotencyKey = { accountId, key };
        return;
      case 'answered':
        reply.code(c.answer.status).header('content-type', c.answer.contentType).header('idempotent-replayed', 'true');
        return reply.send(c.answer.body);
      case 'mismatch':
        throw new HetaoError(
          'HETAO_API_IDEMPOTENCY_MISMATCH',
          'this Idempotency-Key was used for a different request (method, path or body); use a new key for a new request',
          { field: 'Idempotency-Key' },
        );
      case 'in-flight':
        throw new HetaoError(
          'HETAO_API_IDEMPOTENCY_IN_FLIGHT',
          `the request with this Idempotency-Key is still being handled (since ${iso(c.since)}); retry shortly`,
          { field: 'Idempotency-Key' },
        );
      case 'unknown':
        throw new HetaoError(
          'HETAO_API_IDEMPOTENCY_UNKNOWN',
          `the exchange stopped while handling the request with this Idempotency-Key (at ${iso(c.since)}); whether it took effect is unknown: look it up before sending it again with a new key`,
          { field: 'Idempotency-Key' },
        );
    }
  };

  const keep = async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const k = req.idempotencyKey;
    if (!k) return payload;
    req.idempotencyKey = null;
    if (reply.statusCode >= 500 || typeof payload !== 'string') await store.releaseKey(k.accountId, k.key);
    else {
      const type = reply.getHeader('content-type');
      await store.answerKey(k.accountId, k.key, {
        status: reply.statusCode,
        body: payload,
        contentType: typeof type === 'string' ? type : 'application/json; charset=utf-8',
      });
    }
    return payload;
  };

  // Callback hooks: a request without a key (the hot path) passes without a promise.
  const preHandler = (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (req.headers['idempotency-key'] === undefined) return done();
    claim(req, reply).then(
      () => (reply.sent ? undefined : done()),
      (err: Error) => done(err),
    );
  };
  const onSend = (req: FastifyRequest, reply: FastifyReply, payload: unknown, done: OnSendDone) => {
    if (!req.idempotencyKey) return done(null, payload);
    keep(req, reply, payload).then(
      (p) => done(null, p),
      (err: Error) => done(err),
    );
  };

  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (!route.url.startsWith('/api/v1/') || route.config?.public || route.config?.changesNothing) return;
    if (!methods.some((m) => m === 'POST' || m === 'PATCH')) return;
    route.preHandler = route.preHandler ? [preHandler, route.preHandler].flat() : [preHandler];
    route.onSend = route.onSend ? [onSend, route.onSend].flat() : [onSend];
  });
}
