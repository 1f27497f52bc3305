import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exchange, startExchange } from '../../src/app/exchange.js';
import { loadLedgerSigner } from '../../src/app/ledger-runtime.js';
import { startWitnessServer, type WitnessServer } from '../../src/app/witness-server.js';
import { loadConfig } from '../../src/config/index.js';
import { checkPolicy, evaluatePolicy, type LedgerEntry, trustPolicy } from '../../src/ledger/index.js';
import { sampleEntries } from '../../src/ledger/testing/sample-entries.js';

/**
 * A real exchange configured with two `hetao witness` servers over HTTP (HETAO_WITNESSES, HETAO_WITNESS_QUORUM):
 * the checkpoint it publishes carries the witnesses' cosignatures, waits for the quorum while a witness is down,
 * and catches up when it is back.
 */

const root = mkdtempSync(join(tmpdir(), 'hetao-ext-witnesses-'));
const home = join(root, 'exchange');
const NAMES = ['shenzhen-regulator', 'hongkong-regulator'] as const;
const entries = sampleEntries(40);
let next = 0;
let logKey: string;
let witnesses: WitnessServer[] = [];
let x: Exchange | undefined;
let logLines: string[] = [];

function startWitness(i: number, port = 0): Promise<WitnessServer> {
  const name = NAMES[i] as string;
  return startWitnessServer({ name, home: join(root, name), port, logKeys: [logKey], logger: false });
}

async function startWith(quorum: string): Promise<Exchange> {
  const config = loadConfig({
    HETAO_HOME: home,
    HETAO_PORT: '0',
    HETAO_DEMO: 'false',
    HETAO_WITNESSES: witnesses.map((w) => `${w.url} ${w.verifierKey}`).join('\n'),
    HETAO_WITNESS_QUORUM: quorum,
  });
  logLines = [];
  return startExchange(config, pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }));
}

/** Appends `n` entries through the exchange's ledger runtime (what every state-changing API call does). */
async function append(n: number): Promise<number> {
  const ex = x as Exchange;
  await Promise.all(entries.slice(next, next + n).map((e) => ex.ledger.record(e as LedgerEntry)));
  next += n;
  return next;
}

/** The policy a verifier would hold: the exchange's log key, both witnesses' keys, `quorum` of them. */
function policyOf(quorum: number) {
  return trustPolicy(
    logKey,
    witnesses.map((w) => w.verifierKey),
    quorum,
  );
}

async function published(): Promise<{ text: string; size: number; cosigners: readonly string[] }> {
  const res = await fetch(`${(x as Exchange).url}/api/v1/ledger/checkpoint`);
  expect(res.status).toBe(200);
  const text = await res.text();
  const r = evaluatePolicy(text, policyOf(1));
  return { text, size: r.checkpoint.size, cosigners: [...r.cosigners].sort() };
}

beforeAll(async () => {
  // The log key is made on the exchange's first start; make it first so the witnesses can be told to trust it.
  logKey = loadLedgerSigner(home).verifierKey;
  witnesses = [await startWitness(0), await startWitness(1)];
});

afterAll(async () => {
  await x?.close();
  await Promise.allSettled(witnesses.map((w) => w.close()));
  rmSync(root, { recursive: true, force: true });
});

describe('an exchange configured with external witnesses (hetao witness over HTTP)', () => {
  it('2 of 2, both up: the published checkpoint carries both cosignatures and meets the policy', async () => {
    x = await startWith('2');
    expect(x.ledger.verifierKey).toBe(logKey);
    const started = logLines.map((l) => JSON.parse(l) as { msg: string; mode?: string; quorum?: number });
    expect(started.find((l) => l.msg.startsWith('ledger witnesses'))).toMatchObject({ mode: 'external', quorum: 2 });
    expect(started.find((l) => l.msg === 'ledger open')).toMatchObject({ witnesses: [...NAMES], quorum: 2 });

    const listed = await (await fetch(`${x.url}/api/v1/ledger/witnesses`)).json();
    expect(listed).toEqual({
      policy: { threshold: 2 },
      witnesses: NAMES.map((name, i) => ({ name, key: witnesses[i]?.verifierKey })),
    });

    await append(5);
    await x.ledger.witnessNow();
    const p = await published();
    expect(p.size).toBe(5);
    expect(p.cosigners).toEqual([...NAMES].sort());
    expect(checkPolicy(p.text, policyOf(2))).toMatchObject({ met: true, checkpoint: { size: 5 } });
    expect(checkPolicy(p.text, x.ledger.policy).met).toBe(true);
  });

  it('2 of 2, one down: publication holds at the last checkpoint both signed, and advances when it is back', {
    timeout: 20_000,
  }, async () => {
    const ex = x as Exchange;
    const hkPort = Number(new URL((witnesses[1] as WitnessServer).url).port);
    await (witnesses[1] as WitnessServer).close();

    await append(3);
    await ex.ledger.witnessNow();
    await append(2);
    await ex.ledger.witnessNow();
    expect(ex.ledger.log.size).toBe(10);
    const held = await published();
    expect(held.size).toBe(5);
    expect(held.cosigners).toEqual([...NAMES].sort());
    expect(logLines.some((l) => l.includes('witness did not cosign') && l.includes('hongkong-regulator'))).toBe(true);

    // the Hong Kong regulator comes back at the same address, with its state; with no new append, the runtime's
    // retry (every 5 s while the newest checkpoint lacks its quorum) asks it again
    witnesses[1] = await startWitness(1, hkPort);
    let advanced = await published();
    for (const until = Date.now() + 12_000; advanced.size < 10 && Date.now() < until; advanced = await published())
      await new Promise((r) => setTimeout(r, 200));
    expect(advanced.size).toBe(10);
    expect(advanced.cosigners).toEqual([...NAMES].sort());
    expect(checkPolicy(advanced.text, ex.ledger.policy)).toMatchObject({ met: true, checkpoint: { size: 10 } });
  });

  it('1 of 2, one down: publication continues with the other cosignature', async () => {
    await (x as Exchange).close();
    x = await startWith('1'); // same home and log, policy now 1 of 2
    expect(await (await fetch(`${x.url}/api/v1/ledger/witnesses`)).json()).toMatchObject({ policy: { threshold: 1 } });
    expect((await published()).size).toBe(10); // the 2-of-2 checkpoint also meets 1 of 2: served at once

    await (witnesses[0] as WitnessServer).close();
    await append(4);
    await x.ledger.witnessNow();
    const p = await published();
    expect(p.size).toBe(14);
    expect(p.cosigners).toEqual(['hongkong-regulator']);
    expect(checkPolicy(p.text, x.ledger.policy)).toMatchObject({ met: true, checkpoint: { size: 14 } });
    expect(evaluatePolicy(p.text, policyOf(2)).met).toBe(false);
  });
});

describe('an exchange without HETAO_WITNESSES', () => {
  it('runs the two embedded demo witnesses, 2 of 2', async () => {
    const demoHome = join(root, 'embedded');
    const ex = await startExchange(
      loadConfig({ HETAO_HOME: demoHome, HETAO_PORT: '0', HETAO_DEMO: 'false', HETAO_LOG_LEVEL: 'silent' }),
    );
    try {
      const listed = (await (await fetch(`${ex.url}/api/v1/ledger/witnesses`)).json()) as {
        policy: { threshold: number };
        witnesses: { name: string }[];
      };
      expect(listed.policy.threshold).toBe(2);
      expect(listed.witnesses.map((w) => w.name)).toEqual(['shenzhen-regulator', 'hongkong-regulator']);
      await ex.ledger.record(entries[0] as LedgerEntry);
      expect(checkPolicy((await ex.ledger.witnessNow()) as string, ex.ledger.policy).checkpoint.size).toBe(1);
    } finally {
      await ex.close();
    }
  });
});
