import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApi } from './build-api.js';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { logger, lines };
}

describe('buildApi request logging', () => {
  it('writes one line per answered request with its request id, method, url, status and time', async () => {
    const { logger, lines } = capture('info');
    const app = await buildApi({ logger, register: async () => {} });
    try {
      const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req_test1' } });
      expect(res.statusCode).toBe(200);
      const missing = await app.inject({ method: 'GET', url: '/nowhere' });
      const requests = lines.filter((l) => l.msg === 'request');
      expect(requests).toHaveLength(2);
      expect(lines.filter((l) => l.msg === 'incoming request' || l.msg === 'request completed')).toEqual([]);
      expect(requests[0]).toMatchObject({ reqId: 'req_test1', method: 'GET', url: '/healthz', status: 200 });
      expect(typeof requests[0]?.ms).toBe('number');
      expect(requests[1]).toMatchObject({ method: 'GET', url: '/nowhere', status: missing.statusCode });
      expect(requests[1]?.reqId).toMatch(/^req_[0-9a-z]+$/);
      expect(requests[1]?.reqId).not.toBe('req_test1');
    } finally {
      await app.close();
    }
  });

  it('writes nothing with a silent logger', async () => {
    const { logger, lines } = capture('silent');
    const app = await buildApi({ logger, register: async () => {} });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect(lines).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('buildApi router errors', () => {
  it('answers a path that is not valid percent-encoded UTF-8 in the product error shape, naming the url', async () => {
    const app = await buildApi({
      logger: false,
      register: async (a) => {
        a.get('/api/v1/things/:id', async () => ({ ok: true }));
      },
    });
    try {
      for (const url of ['/api/v1/things/%zz', '/api/v1/things/%E0%A4%A']) {
        const res = await app.inject({ method: 'GET', url });
        expect([url, res.statusCode, res.json()]).toEqual([
          url,
          400,
          { code: 'HETAO_API_VALIDATION', message: 'the path is not valid percent-encoded UTF-8', field: 'url' },
        ]);
      }
      expect((await app.inject({ method: 'GET', url: '/api/v1/things/%E4%B8%AD' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
