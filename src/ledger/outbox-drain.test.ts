import { describe, expect, it } from 'vitest';
import { encodeEntry } from './entry-codec.js';
import { Log } from './log.js';
import { generateSigner } from './note-keys.js';
import { OutboxDrain } from './outbox-drain.js';
import { MemoryLedgerStore } from './testing/memory-ledger-store.js';
import { sampleEntries } from './testing/sample-entries.js';

const bytes = sampleEntries(50).map((e) => encodeEntry(e));

async function setup() {
  const store = new MemoryLedgerStore();
  const log = await Log.open({ store, signer: generateSigner('hetao.test/outbox') });
  const drain = new OutboxDrain(store, (row) => log.appendStaged(row));
  return { store, log, drain };
}

const same = (a: readonly Uint8Array[], b: readonly Uint8Array[]) =>
  expect(a.map((x) => Buffer.from(x).toString())).toEqual(b.map((x) => Buffer.from(x).toString()));

describe('OutboxDrain', () => {
  it('appends what is staged in staging order, each once, however many flush at once', async () => {
    const { store, drain } = await setup();
    for (const b of bytes.slice(0, 20)) store.stage(b);
    const flushes = [drain.flush(), drain.flush()];
    for (const b of bytes.slice(20, 30)) store.stage(b); // staged while a pass runs: the calls above cover it
    flushes.push(drain.flush());
    await Promise.all(flushes);
    same(store.entries, bytes.slice(0, 30));
    expect(store.outbox.size).toBe(0);
    await drain.flush(); // nothing staged: nothing appended
    expect(store.entries).toHaveLength(30);
    // A row naming its record gets its index recorded under that name by the commit that appends it.
    store.stage(bytes[30] as Uint8Array, 'flow:f1');
    await drain.flush();
    expect(store.refs.get('flow:f1')).toBe(30);
  });

  it('leaves the entries staged when the commit fails, and appends them at the next flush', async () => {
    const { store, drain } = await setup();
    for (const b of bytes.slice(0, 5)) store.stage(b);
    store.beforeCommit = async () => {
      throw new Error('disk full');
    };
    await expect(drain.flush()).rejects.toThrow(/disk full/);
    expect(store.outbox.size).toBe(5);
    expect(store.entries).toHaveLength(0);
    store.beforeCommit = undefined;
    await drain.flush();
    same(store.entries, bytes.slice(0, 5));
    expect(store.outbox.size).toBe(0);
  });

  it('sets aside a staged entry that can never be appended, and appends the ones around it', async () => {
    const store = new MemoryLedgerStore();
    const log = await Log.open({ store, signer: generateSigner('hetao.test/outbox') });
    const rejected: string[] = [];
    const drain = new OutboxDrain(
      store,
      (row) => log.appendStaged(row),
      (row, err) => rejected.push(`${row.id} ${err.code}`),
      () => 1234,
    );
    store.stage(bytes[0] as Uint8Array);
    const spaced = Buffer.from(bytes[1] as Uint8Array)
      .toString()
      .replace(',', ' ,');
    const bad = store.stage(new TextEncoder().encode(spaced));
    const worse = store.stage(new TextEncoder().encode('{"type":"gossip","v":1}'));
    store.stage(bytes[2] as Uint8Array);
    await drain.flush();
    same(store.entries, [bytes[0] as Uint8Array, bytes[2] as Uint8Array]);
    expect(store.outbox.size).toBe(0);
    expect(rejected.sort()).toEqual([`${bad} HETAO_LEDGER_ENTRY_NONCANONICAL`, `${worse} HETAO_LEDGER_ENTRY_INVALID`]);
    expect(store.rejected.get(bad)).toMatchObject({
      at: 1234,
      reason: expect.stringMatching(/^HETAO_LEDGER_ENTRY_NONCANONICAL: /),
    });
    expect(await store.countRejectedOutbox()).toBe(2);
  });
});
