import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedWitnesses, openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { ManualClock } from '../../src/core/index.js';
import { checkPolicy, type LedgerEntry } from '../../src/ledger/index.js';
import { sampleEntries } from '../../src/ledger/testing/sample-entries.js';
import { openStore } from '../../src/store/index.js';

const home = mkdtempSync(join(tmpdir(), 'hetao-runtime-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('ledger runtime', () => {
  it('makes its keys once (0600), flushes on close, refuses appends after, and reopens with the same log', async () => {
    const clock = new ManualClock();
    const store = openStore({ kind: 'sqlite', path: join(home, 'hetao.db') });
    await store.migrate(clock.now());
    const witnesses = createEmbeddedWitnesses(home, { store, clock });
    const ledger = await openLedgerRuntime({ store, home, clock, witnesses });
    expect(ledger.origin).toMatch(/^hetao\.exchange\/[0-9a-f]{8}$/);
    expect(statSync(join(home, 'ledger-key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'witness-shenzhen-regulator.key')).mode & 0o777).toBe(0o600);
    const entries = sampleEntries(500);
    const indexes = entries.map((e) => ledger.record(e));
    await ledger.close();
    expect(await Promise.all(indexes)).toEqual(entries.map((_, i) => i));
    await expect(ledger.record(entries[0] as LedgerEntry)).rejects.toMatchObject({ code: 'HETAO_LEDGER_CLOSED' });
    // close ran a last witnessing round: the published checkpoint covers everything and meets 2 of 2
    const published = ledger.published() as string;
    expect(checkPolicy(published, ledger.policy)).toMatchObject({ met: true, checkpoint: { size: 500 } });

    const again = await openLedgerRuntime({
      store,
      home,
      clock,
      witnesses: createEmbeddedWitnesses(home, { store, clock }),
    });
    expect(again.origin).toBe(ledger.origin);
    expect(again.published()).toBe(published); // served again at once after a restart
    expect(await again.record(entries[1] as LedgerEntry)).toBe(500);
    await again.close();
    await store.close();
  });

  it('rejects an entry the schema refuses, naming the field', async () => {
    const store = openStore({ kind: 'sqlite', path: join(home, 'other.db') });
    await store.migrate(0);
    const ledger = await openLedgerRuntime({ store, home: join(home, 'other'), clock: new ManualClock() });
    const bad = { ...sampleEntries(1)[0], contextDigest: 'md5:x' } as unknown as LedgerEntry;
    await expect(ledger.record(bad)).rejects.toMatchObject({
      code: 'HETAO_LEDGER_ENTRY_INVALID',
      field: 'contextDigest',
    });
    // no witnesses configured: quorum 0, so the log's own checkpoint is published
    await ledger.record(sampleEntries(1)[0] as LedgerEntry);
    expect(await ledger.witnessNow()).toContain('\n1\n');
    await ledger.close();
    await store.close();
  });
});
