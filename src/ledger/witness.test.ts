import { describe, expect, it } from 'vitest';
import { type HetaoError, ManualClock } from '../core/index.js';
import { openCheckpoint } from './checkpoint.js';
import type { LedgerEntry } from './entry-types.js';
import { toBase64 } from './hashing.js';
import { Log } from './log.js';
import { openNote } from './note.js';
import { parseVerifierKey, SIG_COSIGNATURE_V1, signerFromSeed, verifierOf } from './note-keys.js';
import { MemoryLedgerStore } from './testing/memory-ledger-store.js';
import { MemoryWitnessStateStore } from './testing/memory-witness-state-store.js';
import { sampleEntries } from './testing/sample-entries.js';
import { Witness, witnessErrorResponse } from './witness.js';
import { checkPolicy, mergeCosignatures, trustPolicy } from './witness-policy.js';

const logSigner = signerFromSeed('hetao.example/ledger', new Uint8Array(32).fill(3));
const sz = signerFromSeed('witness.sz.example', new Uint8Array(32).fill(4), SIG_COSIGNATURE_V1);
const hk = signerFromSeed('witness.hk.example', new Uint8Array(32).fill(5), SIG_COSIGNATURE_V1);
const entries = sampleEntries(50);

function witness(signer = sz) {
  return new Witness({
    signer,
    logs: [{ origin: logSigner.name, verifiers: [verifierOf(logSigner)] }],
    state: new MemoryWitnessStateStore(),
    clock: new ManualClock(Date.UTC(2026, 0, 1)),
  });
}

/** A log with `n` entries; `tamper` changes entry `tamper` (a fork of the honest log). */
async function logOf(n: number, fork?: number) {
  const store = new MemoryLedgerStore();
  const log = await Log.open({ store, signer: logSigner });
  const es = entries.slice(0, n).map((e, i) => (i === fork ? (entries[49] as LedgerEntry) : e));
  await Promise.all(es.map((e) => log.append(e)));
  return log;
}

async function request(log: Log, old: number): Promise<string> {
  const proof = old === 0 ? [] : await log.consistencyProof(old);
  return `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${await log.checkpoint()}`;
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return (err as HetaoError).code;
  }
  return undefined;
}

describe('Witness (c2sp.org/tlog-witness)', () => {
  it('cosigns a first checkpoint and then consistent extensions; the cosignature verifies', async () => {
    const w = witness();
    const log10 = await logOf(10);
    const line = await w.addCheckpoint(await request(log10, 0));
    expect(line).toMatch(/^— witness\.sz\.example [A-Za-z0-9+/]+=*\n$/);
    const { verified } = openNote(`${await log10.checkpoint()}${line}`, [parseVerifierKey(w.verifierKey)]);
    expect(verified[0]?.timestamp).toBe(Date.UTC(2026, 0, 1) / 1000);
    const log30 = await logOf(30);
    await w.addCheckpoint(await request(log30, 10));
    // same checkpoint again: fine (re-cosigned)
    await w.addCheckpoint(await request(log30, 30));
  });

  it('answers 409 with its size when the old size does not match', async () => {
    const w = witness();
    await w.addCheckpoint(await request(await logOf(10), 0));
    const log30 = await logOf(30);
    const err = await w.addCheckpoint(await request(log30, 20)).catch((e: HetaoError) => e);
    expect((err as HetaoError).code).toBe('HETAO_LEDGER_WITNESS_OLD_SIZE');
    expect(witnessErrorResponse(err as HetaoError)).toEqual({
      status: 409,
      contentType: 'text/x.tlog.size',
      body: '10\n',
    });
  });

  it('refuses a fork: 422 for a tree that does not extend its view, 409 for a different root of its size', async () => {
    const w = witness();
    await w.addCheckpoint(await request(await logOf(20), 0));
    const forked = await logOf(30, 5);
    expect(await codeOf(w.addCheckpoint(await request(forked, 20)))).toBe('HETAO_LEDGER_WITNESS_BAD_PROOF');
    const forked20 = await logOf(20, 5);
    expect(await codeOf(w.addCheckpoint(await request(forked20, 20)))).toBe('HETAO_LEDGER_WITNESS_FORK');
    // a bad proof for an honest extension is 422 too
    const honest = await logOf(30);
    const body = (await request(honest, 20)).replace(/\n[A-Za-z0-9+/]{43}=\n/, `\n${toBase64(new Uint8Array(32))}\n`);
    expect(await codeOf(w.addCheckpoint(body))).toBe('HETAO_LEDGER_WITNESS_BAD_PROOF');
  });

  it('refuses a rollback', async () => {
    const w = witness();
    await w.addCheckpoint(await request(await logOf(30), 0));
    const log20 = await logOf(20);
    expect(await codeOf(w.addCheckpoint(await request(log20, 0)))).toBe('HETAO_LEDGER_WITNESS_OLD_SIZE');
    expect(await codeOf(w.addCheckpoint(`old 30\n\n${await log20.checkpoint()}`))).toBe(
      'HETAO_LEDGER_WITNESS_MALFORMED',
    );
  });

  it('keeps concurrent requests from rolling back (compare-and-swap)', async () => {
    const w = witness();
    const log10 = await logOf(10);
    const log20 = await logOf(20);
    const results = await Promise.allSettled([
      w.addCheckpoint(await request(log20, 0)),
      w.addCheckpoint(await request(log10, 0)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('maps unknown logs to 404, bad signatures to 403 and malformed bodies to 400', async () => {
    const w = witness();
    const log10 = await logOf(10);
    const cp = await log10.checkpoint();
    const stranger = signerFromSeed(logSigner.name, new Uint8Array(32).fill(8));
    const body = cp.slice(0, cp.indexOf('\n\n') + 1);
    const { signNote } = await import('./note.js');
    expect(await codeOf(w.addCheckpoint(`old 0\n\n${signNote(body, [stranger])}`))).toBe(
      'HETAO_LEDGER_WITNESS_BAD_SIGNATURE',
    );
    const other = signerFromSeed('other.example/log', new Uint8Array(32).fill(8));
    expect(
      await codeOf(w.addCheckpoint(`old 0\n\n${signNote(body.replace(logSigner.name, other.name), [other])}`)),
    ).toBe('HETAO_LEDGER_WITNESS_UNKNOWN_LOG');
    for (const bad of [`old 01\n\n${cp}`, `old 0\n${cp}`, `0\n\n${cp}`, `old 0\nnot-base64\n\n${cp}`, 'old 0\n\nx\n'])
      expect(await codeOf(w.addCheckpoint(bad)), bad).toBe('HETAO_LEDGER_WITNESS_MALFORMED');
    expect(
      witnessErrorResponse({ code: 'HETAO_LEDGER_WITNESS_UNKNOWN_LOG', status: 404, message: 'x' } as HetaoError)
        .status,
    ).toBe(404);
  });
});

describe('witness policy (log side)', () => {
  it('merges valid cosignatures and reports whether 2-of-2 is met', async () => {
    const log10 = await logOf(10);
    const cp = await log10.checkpoint();
    const policy = trustPolicy(logSigner.verifierKey, [sz.verifierKey, hk.verifierKey], 2);
    const fromSz = await witness(sz).addCheckpoint(await request(log10, 0));
    const half = mergeCosignatures(cp, [fromSz], policy);
    expect(half.met).toBe(false);
    expect(() => checkPolicy(half.text, policy)).toThrow(
      expect.objectContaining({ code: 'HETAO_LEDGER_POLICY_NOT_MET' }),
    );
    const fromHk = await witness(hk).addCheckpoint(await request(log10, 0));
    const forged = fromHk.replace(/.{6}=\n$/, 'AAAAAA=\n');
    const full = mergeCosignatures(half.text, [forged, fromHk, fromSz, '— unknown.example AAAAAAAA\n'], policy);
    expect(full.met).toBe(true);
    expect(full.cosigners).toEqual(['witness.sz.example', 'witness.hk.example']);
    expect(full.text.split('\n— ')).toHaveLength(4);
    expect(checkPolicy(full.text, policy).checkpoint.size).toBe(10);
    expect(openCheckpoint(full.text, [verifierOf(logSigner)]).checkpoint.size).toBe(10);
    expect(await log10.publishCosigned(10, full.text)).toBe(true);
    expect(await log10.checkpoint()).toBe(full.text);
  });
});
