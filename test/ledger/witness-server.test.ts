import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLedgerSigner, openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { httpWitness } from '../../src/app/witness-client.js';
import { startWitnessServer, type WitnessServer } from '../../src/app/witness-server.js';
import { ManualClock } from '../../src/core/index.js';
import {
  generateSigner,
  type LedgerEntry,
  Log,
  mergeCosignatures,
  type Signer,
  toBase64,
  trustPolicy,
} from '../../src/ledger/index.js';
import { MemoryLedgerStore } from '../../src/ledger/testing/memory-ledger-store.js';
import { sampleEntries } from '../../src/ledger/testing/sample-entries.js';
import { openStore } from '../../src/store/index.js';

const home = mkdtempSync(join(tmpdir(), 'hetao-witness-'));
const signer = generateSigner('hetao.test/witnessed');
let server: WitnessServer;
let log: Log;

async function makeLog(s: Signer, entries: readonly LedgerEntry[]): Promise<Log> {
  const l = await Log.open({ store: new MemoryLedgerStore(), signer: s });
  for (const e of entries) await l.append(e);
  return l;
}

async function post(body: string): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${server.url}/add-checkpoint`, { method: 'POST', body });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

async function request(l: Log, old: number, size = l.size): Promise<string> {
  const proof = old === 0 ? [] : await l.consistencyProof(old, size);
  return `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${await l.checkpoint()}`;
}

beforeAll(async () => {
  server = await startWitnessServer({
    name: 'sz-regulator',
    home,
    port: 0,
    logKeys: [signer.verifierKey],
    logger: false,
  });
  log = await makeLog(signer, sampleEntries(5));
});
afterAll(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

describe('hetao witness over HTTP (c2sp.org/tlog-witness)', () => {
  it('cosigns a first checkpoint, then answers 409 with its size to a stale old size', async () => {
    const first = await post(await request(log, 0));
    expect(first.status).toBe(200);
    const merged = mergeCosignatures(
      await log.checkpoint(),
      [first.body],
      trustPolicy(signer.verifierKey, [server.verifierKey]),
    );
    expect(merged.met).toBe(true);
    const stale = await post(await request(log, 0));
    expect(stale).toEqual({ status: 409, type: 'text/x.tlog.size', body: '5\n' });
  });

  it('cosigns an extension with a consistency proof; rejects a bad proof (422)', async () => {
    const more = sampleEntries(12);
    for (const e of more.slice(5, 8)) await log.append(e);
    const bad = (await request(log, 5)).replace(/^old 5\n[^\n]+\n/, `old 5\n${toBase64(new Uint8Array(32))}\n`);
    expect((await post(bad)).status).toBe(422);
    expect((await post(await request(log, 5))).status).toBe(200);
  });

  it('refuses a fork (409) and a rollback (409 with its size)', async () => {
    const other = sampleEntries(8, 99);
    const fork = await makeLog(signer, other);
    const forked = await post(await request(fork, 8));
    expect(forked.status).toBe(409);
    expect(forked.body).toContain('HETAO_LEDGER_WITNESS_FORK');
    const old = await makeLog(signer, sampleEntries(5));
    const rollback = await post(await request(old, 5));
    expect(rollback).toMatchObject({ status: 409, body: '8\n' });
  });

  it('answers 404 for an unknown log, 403 for a bad signature, 400 for a malformed body', async () => {
    const stranger = await makeLog(generateSigner('hetao.test/stranger'), sampleEntries(2));
    expect((await post(await request(stranger, 0))).status).toBe(404);
    const impostor = await makeLog(generateSigner(signer.name), sampleEntries(9));
    expect((await post(await request(impostor, 8))).status).toBe(403);
    expect((await post('hello')).status).toBe(400);
    expect((await post('')).status).toBe(400);
  });

  it('lets exactly one of two concurrent requests from one state through', async () => {
    for (const e of sampleEntries(12).slice(8)) await log.append(e);
    const body = await request(log, 8);
    const answers = await Promise.all([post(body), post(body)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });

  it('keeps its state across a restart', async () => {
    await server.close();
    server = await startWitnessServer({
      name: 'sz-regulator',
      home,
      port: 0,
      logKeys: [signer.verifierKey],
      logger: false,
    });
    expect(await post(await request(log, 0))).toMatchObject({ status: 409, body: '12\n' });
  });

  it('cosigns for an exchange runtime configured with HTTP witnesses (2 of 2)', async () => {
    const exHome = mkdtempSync(join(tmpdir(), 'hetao-ex-'));
    const logKey = loadLedgerSigner(exHome).verifierKey;
    const servers = await Promise.all(
      ['sz', 'hk'].map((n) =>
        startWitnessServer({
          name: `${n}-regulator`,
          home: join(exHome, n),
          port: 0,
          logKeys: [logKey],
          logger: false,
        }),
      ),
    );
    const store = openStore({ kind: 'sqlite', path: join(exHome, 'hetao.db') });
    try {
      await store.migrate(0);
      const runtime = await openLedgerRuntime({
        store,
        home: exHome,
        clock: new ManualClock(),
        witnesses: servers.map((s) => httpWitness(s.url, s.verifierKey)),
      });
      await Promise.all(sampleEntries(300).map((e) => runtime.record(e)));
      const published = await runtime.witnessNow();
      expect(published).toContain('\n300\n');
      expect(published).toContain('— sz-regulator ');
      expect(published).toContain('— hk-regulator ');
      await runtime.record(sampleEntries(301)[300] as LedgerEntry);
      await runtime.close();
      expect(runtime.published()).toContain('\n301\n');
    } finally {
      await store.close();
      await Promise.all(servers.map((s) => s.close()));
      rmSync(exHome, { recursive: true, force: true });
    }
  });
});
