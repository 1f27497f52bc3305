import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { api } from './http.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** A server that answers each request with the next of `answers` ('reset' breaks the connection instead). */
async function serve(answers: readonly (number | 'reset')[]): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const srv = createServer((req, res) => {
    seen.push(req);
    const a = answers[seen.length - 1] ?? 500;
    req.resume();
    req.on('end', () => {
      if (a === 'reset') return req.socket.destroy();
      const body =
        a === 409
          ? { code: 'HETAO_API_IDEMPOTENCY_IN_FLIGHT', message: 'still being handled' }
          : a >= 400
            ? { code: a === 503 ? 'HETAO_API_SHUTTING_DOWN' : 'HETAO_API_VALIDATION', message: 'no', field: 'name' }
            : { id: 'job_1' };
      res.writeHead(a, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  server = srv;
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen };
}

const fast = [1, 1, 1];

describe('the CLI client', () => {
  it('retries a change with one Idempotency-Key when the connection breaks, the exchange restarts or is busy', async () => {
    const s = await serve(['reset', 503, 409, 201]);
    const out = await api({ exchange: s.url, token: 't' }, 'POST', '/jobs', { name: 'x' }, { delays: fast });
    expect(out).toEqual({ id: 'job_1' });
    const keys = s.seen.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^"[0-9a-f-]{36}"$/);
  });

  it('gives up after the last retry, and never retries a refusal or a read', async () => {
    const s = await serve([503, 503, 503, 503, 201]);
    const t = { exchange: s.url, token: 't' };
    await expect(api(t, 'POST', '/jobs', {}, { delays: fast })).rejects.toMatchObject({
      code: 'HETAO_API_SHUTTING_DOWN',
    });
    expect(s.seen).toHaveLength(4);
    await server?.close();
    const r = await serve([400, 201]);
    await expect(api({ exchange: r.url, token: 't' }, 'POST', '/jobs', {}, { delays: fast })).rejects.toMatchObject({
      code: 'HETAO_API_VALIDATION',
      field: 'name',
    });
    expect(r.seen).toHaveLength(1);
    await server?.close();
    const g = await serve([503, 200]);
    await expect(api({ exchange: g.url, token: 't' }, 'GET', '/jobs')).rejects.toMatchObject({
      code: 'HETAO_API_SHUTTING_DOWN',
    });
    expect(g.seen.map((x) => x.headers['idempotency-key'])).toEqual([undefined]);
  });
});
