import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../testing/api-harness.js';
import { parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

let h: Harness;
const TYPE = 'research.sensor-readings';
beforeAll(async () => {
  h = await createHarness();
  const t = await h.call('POST', '/data-types', h.tokens.regulator, {
    name: TYPE,
    title: 'Sensor readings',
    defaultClassification: 'general',
    containsPersonalInfo: false,
  });
  expect(t.status).toBe(201);
});
afterAll(async () => h?.close());

const keyed = (key: string) => ({ 'idempotency-key': `"${key}"` });
const spec = (name: string) => ({ name, run: 'echo hi', resources: { gpus: 1, timeLimitMinutes: 10 } });
const jobsNamed = async (name: string) =>
  (await h.call('GET', '/jobs?limit=500', h.tokens['org-admin'])).body.items.filter(
    (j: { name: string }) => j.name === name,
  );

describe('Idempotency-Key', () => {
  it('runs a POST once: a retry with the key gets the first answer, marked replayed, and changes nothing', async () => {
    const before = (await h.ledgerEntries()).length;
    const first = await h.call('POST', '/jobs', h.tokens['org-member'], spec('once'), keyed('submit-once-1'));
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const entries = (await h.ledgerEntries()).length;
    expect(entries).toBeGreaterThan(before);

    const again = await h.call('POST', '/jobs', h.tokens['org-member'], spec('once'), keyed('submit-once-1'));
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await jobsNamed('once')).toHaveLength(1);
    expect((await h.ledgerEntries()).length).toBe(entries);

    // A bare token is the same key; without a key every POST is a new request.
    const bare = await h.call('POST', '/jobs', h.tokens['org-member'], spec('once'), {
      'idempotency-key': 'submit-once-1',
    });
    expect(bare.body.id).toBe(first.body.id);
    await h.call('POST', '/jobs', h.tokens['org-member'], spec('once'));
    expect(await jobsNamed('once')).toHaveLength(2);
  });

  it('refuses the key for a different request, and scopes keys to the account that sent them', async () => {
    const first = await h.call('POST', '/jobs', h.tokens['org-member'], spec('scoped-a'), keyed('shared-key'));
    expect(first.status).toBe(201);
    const other = await h.call('POST', '/jobs', h.tokens['org-member'], spec('scoped-b'), keyed('shared-key'));
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'HETAO_API_IDEMPOTENCY_MISMATCH', field: 'Idempotency-Key' });
    expect(await jobsNamed('scoped-b')).toHaveLength(0);
    // Another path with the key is another request too.
    const elsewhere = await h.call('POST', `/jobs/${first.body.id}/cancel`, h.tokens['org-member'], undefined, {
      ...keyed('shared-key'),
    });
    expect(elsewhere.body.code).toBe('HETAO_API_IDEMPOTENCY_MISMATCH');
    expect((await h.call('GET', `/jobs/${first.body.id}`, h.tokens['org-member'])).body.state).not.toBe('cancelled');

    // The same key from another account (here: another organization's) is its own.
    const theirs = await h.call('POST', '/jobs', h.other['org-member'], spec('scoped-a'), keyed('shared-key'));
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('rejects a malformed key as bad input, changing nothing', async () => {
    for (const bad of ['', '""', 'has space', 'x'.repeat(256), '"unterminated', 'ключ']) {
      const r = await h.call('POST', '/jobs', h.tokens['org-member'], spec('bad-key'), { 'idempotency-key': bad });
      expect([bad, r.status, r.body.code, r.body.field]).toEqual([bad, 400, 'HETAO_API_VALIDATION', 'Idempotency-Key']);
    }
    expect(await jobsNamed('bad-key')).toHaveLength(0);
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe('8e03978e-40d5-43e8-bc93-6894a57f9324');
    expect(parseIdempotencyKey(undefined)).toBeNull();
  });

  it('keeps a 4xx answer but not a 5xx one: the retry of a server failure runs again', async () => {
    const missing = {
      name: 'ds-x',
      siteId: h.site.id,
      dataType: 'no.such',
      sizeBytes: 1,
      contentDigest: 'a'.repeat(64),
    };
    const r1 = await h.call('POST', '/datasets', h.tokens['org-member'], missing, keyed('ds-missing'));
    expect(r1.body).toMatchObject({ code: 'HETAO_STORE_REFERENCE', field: 'dataType' });
    const r2 = await h.call('POST', '/datasets', h.tokens['org-member'], missing, keyed('ds-missing'));
    expect([r2.status, r2.body, r2.headers['idempotent-replayed']]).toEqual([r1.status, r1.body, 'true']);

    const ds = {
      name: 'ds-5xx',
      siteId: h.site.id,
      dataType: TYPE,
      sizeBytes: 1,
      contentDigest: 'b'.repeat(64),
    };
    const down = vi.spyOn(h.deps.registry, 'insertDataset').mockRejectedValueOnce(new Error('database unavailable'));
    try {
      const failed = await h.call('POST', '/datasets', h.tokens['org-member'], ds, keyed('ds-retry'));
      expect(failed.status).toBe(500);
    } finally {
      down.mockRestore();
    }
    const retried = await h.call('POST', '/datasets', h.tokens['org-member'], ds, keyed('ds-retry'));
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers 409 to a retry while the first is still being handled, then replays', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const real = h.deps.registry.getDataType.bind(h.deps.registry);
    const slow = vi.spyOn(h.deps.registry, 'getDataType').mockImplementationOnce(async (n) => {
      await gate;
      return real(n);
    });
    const ds = {
      name: 'ds-slow',
      siteId: h.site.id,
      dataType: TYPE,
      sizeBytes: 1,
      contentDigest: 'c'.repeat(64),
    };
    try {
      const first = h.call('POST', '/datasets', h.tokens['org-member'], ds, keyed('ds-slow'));
      await vi.waitFor(() => expect(slow).toHaveBeenCalled());
      const meanwhile = await h.call('POST', '/datasets', h.tokens['org-member'], ds, keyed('ds-slow'));
      expect(meanwhile.status).toBe(409);
      expect(meanwhile.body).toMatchObject({ code: 'HETAO_API_IDEMPOTENCY_IN_FLIGHT', field: 'Idempotency-Key' });
      release();
      expect((await first).status).toBe(201);
    } finally {
      slow.mockRestore();
    }
    const after = await h.call('POST', '/datasets', h.tokens['org-member'], ds, keyed('ds-slow'));
    expect([after.status, after.headers['idempotent-replayed']]).toEqual([201, 'true']);
  });

  it('will not run twice a request a stopped exchange process was handling: its outcome is unknown', async () => {
    const me = (await h.call('GET', '/me', h.tokens['org-member'])).body.account.id as string;
    const body = spec('crashed');
    // As a process that crashed mid-request leaves it: claimed, never answered.
    const left = await h.store.idempotency.claimKey(
      me,
      'crashed-1',
      requestFingerprint('POST', '/api/v1/jobs', body),
      'process-that-died',
      h.clock.now(),
    );
    expect(left.kind).toBe('claimed');
    const r = await h.call('POST', '/jobs', h.tokens['org-member'], body, keyed('crashed-1'));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'HETAO_API_IDEMPOTENCY_UNKNOWN', field: 'Idempotency-Key' });
    expect(await jobsNamed('crashed')).toHaveLength(0);
    // A day later the key has expired and is new again.
    h.clock.advance(24 * 3_600_000 + 1);
    expect((await h.call('POST', '/jobs', h.tokens['org-member'], body, keyed('crashed-1'))).status).toBe(201);
  });
});
