import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { ApiInstance } from './api-instance.js';
import { installErrorHandler } from './error-handler.js';

export interface ApiOptions {
  readonly logger: Logger | false;
  /** Registers the resource plugins (composition root decides which). */
  readonly register: (app: ApiInstance) => Promise<void>;
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
  const app = Fastify({
    loggerInstance: options.logger === false ? undefined : (options.logger as FastifyBaseLogger),
    bodyLimit: 1024 * 1024,
    // Idle keep-alive connections (agents, the CLI) are released after 5 s, so a shutdown never waits long on them.
    keepAliveTimeout: 5_000,
    genReqId: nextRequestId,
    // A per-request child logger exists to carry the request id into log lines; a silent logger writes none.
    childLoggerFactory: (logger, bindings, opts) => (logger.level === 'silent' ? logger : logger.child(bindings, opts)),
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  installErrorHandler(app);
  app.get('/healthz', { config: { public: true } }, async () => ({ status: 'ok' }));
  await options.register(app);
  return app;
}
