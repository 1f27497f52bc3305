import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ApiInstance } from '../api/api-instance.js';

const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** OpenAPI description of every route (from their TypeBox schemas) and its UI at /api/docs. */
export async function installDocs(app: ApiInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Hetao exchange API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
}

/** The dashboard (web/dist, built by `npm run build`) at `/`. */
export async function installDashboard(app: ApiInstance): Promise<void> {
  if (!existsSync(`${WEB_DIST}index.html`)) {
    app.get('/', { config: { public: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send('<!doctype html><title>Hetao</title><p>The dashboard is not built: run <code>npm run build</code>.</p>'),
    );
    return;
  }
  await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
}
