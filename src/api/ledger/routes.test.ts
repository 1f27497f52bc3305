import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/index.js';
import {
  Cosigner,
  checkPolicy,
  fromBase64,
  generateSigner,
  inProcessWitness,
  type LedgerEntry,
  Log,
  leafHash,
  openCheckpoint,
  SIG_COSIGNATURE_V1,
  toHex,
  trustPolicy,
  verifierOf,
  verifyInclusion,
  Witness,
} from '../../ledger/index.js';
import { MemoryLedgerStore } from '../../ledger/testing/memory-ledger-store.js';
import { MemoryWitnessStateStore } from '../../ledger/testing/memory-witness-state-store.js';
import { sampleEntries } from '../../ledger/testing/sample-entries.js';
import type { ApiInstance } from '../api-instance.js';
import { buildApi } from '../build-api.js';
import { ledgerRoutes } from './routes.js';

const signer = generateSigner('hetao.test/routes');
const clock = new ManualClock();
const store = new MemoryLedgerStore();
let log: Log;
let cosigner: Cosigner;
let app: ApiInstance;

beforeAll(async () => {
  log = await Log.open({ store, signer });
  const logs = [{ origin: signer.name, verifiers: [verifierOf(signer)] }];
  const witnesses = ['sz', 'hk'].map((name) =>
    inProcessWitness(
      name,
      new Witness({
        signer: generateSigner(name, SIG_COSIGNATURE_V1),
        logs,
        state: new MemoryWitnessStateStore(),
        clock,
      }),
    ),
  );
  const policy = trustPolicy(
    signer.verifierKey,
    witnesses.map((w) => w.verifierKey),
  );
  cosigner = new Cosigner({ log, witnesses, policy, published: store });
  app = await buildApi({
    logger: false,
    register: async (a) => {
      await a.register(
        async (i) =>
          ledgerRoutes(i as unknown as ApiInstance, {
            published: async () => cosigner.published,
            verifierKey: signer.verifierKey,
            witnesses: { threshold: 2, keys: witnesses.map((w) => ({ name: w.name, key: w.verifierKey })) },
            tile: (p) => log.tile(p),
            readEntries: (f, c) => store.readEntries(f, c),
            inclusionProof: (i2, s) => log.inclusionProof(i2, s),
          }),
        { prefix: '/api/v1' },
      );
    },
  });
});
afterAll(async () => app.close());

describe('public ledger routes', () => {
  it('404s the checkpoint before anything is published, then serves the cosigned one', async () => {
    expect((await app.inject('/api/v1/ledger/checkpoint')).statusCode).toBe(404);
    await Promise.all(sampleEntries(600).map((e) => log.append(e as LedgerEntry)));
    await cosigner.round();
    const res = await app.inject('/api/v1/ledger/checkpoint');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const w = (await app.inject('/api/v1/ledger/witnesses')).json();
    const policy = trustPolicy(
      (await app.inject('/api/v1/ledger/key')).body,
      w.witnesses.map((x: { key: string }) => x.key),
      w.policy.threshold,
    );
    const r = checkPolicy(res.body, policy);
    expect(r.checkpoint.size).toBe(600);
    expect([...r.cosigners].sort()).toEqual(['hk', 'sz']);
  });

  it('serves tiles (full ones immutable) and 404s beyond the log, 400s a bad path', async () => {
    const full = await app.inject('/api/v1/ledger/tile/0/000');
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('application/octet-stream');
    expect(full.headers['cache-control']).toContain('immutable');
    expect(full.rawPayload.length).toBe(256 * 32);
    const part = await app.inject('/api/v1/ledger/tile/entries/002.p/88');
    expect(part.statusCode).toBe(200);
    expect(part.headers['cache-control']).not.toContain('immutable');
    expect((await app.inject('/api/v1/ledger/tile/1/000.p/2')).rawPayload.length).toBe(64);
    expect((await app.inject('/api/v1/ledger/tile/0/003')).statusCode).toBe(404);
    expect((await app.inject('/api/v1/ledger/tile/entries/002.p/89')).statusCode).toBe(404);
    const bad = await app.inject('/api/v1/ledger/tile/0/3');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('HETAO_LEDGER_TILE_PATH_INVALID');
  });

  it('pages decoded entries with their leaf hashes', async () => {
    const res = (await app.inject('/api/v1/ledger/entries?from=598&limit=5')).json();
    expect(res.size).toBe(600);
    expect(res.items.map((i: { index: number }) => i.index)).toEqual([598, 599]);
    expect(res.items[0].leafHash).toBe(toHex(leafHash(store.entries[598] as Uint8Array)));
    expect(res.items[0].entry).toEqual(sampleEntries(600)[598]);
    expect((await app.inject('/api/v1/ledger/entries?from=-1')).statusCode).toBe(400);
  });

  it('proves inclusion against the published checkpoint', async () => {
    const res = (await app.inject('/api/v1/ledger/proof?index=123')).json();
    const { checkpoint } = openCheckpoint(res.checkpoint, [verifierOf(signer)]);
    const proof = res.proof.map((p: string) => fromBase64(p) as Uint8Array);
    expect(res.size).toBe(600);
    expect(verifyInclusion(123, 600, leafHash(store.entries[123] as Uint8Array), proof, checkpoint.rootHash)).toBe(
      true,
    );
    expect((await app.inject('/api/v1/ledger/proof?index=600')).statusCode).toBe(404);
  });
});
