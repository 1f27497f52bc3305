import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { ApiInstance } from './api-instance.js';
import { frameworkError, installErrorHandler } from './error-handler.js';
import { installJsonBody } from './json-body.js';

export interface ApiOptions {
  readonly logger: Logger | false;
  /** Registers the resource plugins (composition root decides which). */
  readonly register: (app: ApiInstance) => Promise<void>;
  /** Told of every request no route matched. */
  readonly onNotFound?: (method: string, status: number) => void;
}

const requestIdPrefix = `req_${Math.random().toString(36).slice(2, 7)}`;
let requestCount = 0;

/** Request ids: a random per-process prefix and a counter, so ids from two runs of the exchange never collide. */
function nextRequestId(): string {
  requestCount += 1;
  return requestIdPrefix + requestCount.toString(36);
}

/**
 * The exchange's HTTP surface: Fastify with TypeBox validation, one error shape, request ids in every log line.
 * Bodies are limited to 1 MiB.
 */
export async function buildApi(options: ApiOptions): Promise<ApiInstance> {
  // A silent logger is no logger: Fastify then builds no per-request child loggers and log calls.
  const logger = options.logger === false || options.logger.level === 'silent' ? undefined : options.logger;
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger | undefined,
    // One line per request, when it has been answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Idle keep-alive connections (agents, the CLI) are released after 5 s, so a shutdown never waits long on them.
    keepAliveTimeout: 5_000,
    genReqId: nextRequestId,
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // Errors the router raises before any route runs (a path that is not valid percent-encoded UTF-8) get the
    // product's error shape too.
    frameworkErrors: (err, _req, reply) => {
      const e = frameworkError(err);
      const r = reply as unknown as { status(n: number): { send(body: unknown): unknown } };
      void r.status(e.status).send(e.toJSON());
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installJsonBody(app);
  installErrorHandler(app, options.onNotFound);
  if (logger?.isLevelEnabled('info'))
    app.addHook('onResponse', (req, reply, done) => {
      req.log.info(
        { method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
        'request',
      );
      done();
    });
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
  await options.register(app);
  return app;
}
