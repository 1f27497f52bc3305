/**
 * Crash-test child (run as `node --import tsx crash-child.ts <db> <home>`): opens a SQLite store and the ledger
 * runtime with the embedded witnesses, then appends forever, 64 in flight. After each entry's commit it prints
 * `ack <index> <k>` (k: the sequence number the entry was made from); whenever a new checkpoint is published it
 * prints `pub <base64 of the checkpoint>`. The parent kills it with SIGKILL at some point.
 */
import { createEmbeddedWitnesses, openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { systemClock } from '../../src/core/index.js';
import { openStore } from '../../src/store/index.js';
import { crashEntry } from './crash-entries.js';

const [db, home] = process.argv.slice(2) as [string, string];
const store = openStore({ kind: 'sqlite', path: db });
await store.migrate(systemClock.now());
const witnesses = createEmbeddedWitnesses(home, { store, clock: systemClock });
const ledger = await openLedgerRuntime({ store, home, clock: systemClock, witnesses });
let k = ledger.log.size;
let lastPublished: string | undefined;

function one(): void {
  const mine = k++;
  ledger.record(crashEntry(mine)).then(
    (index) => {
      process.stdout.write(`ack ${index} ${mine}\n`);
      const p = ledger.published();
      if (p !== undefined && p !== lastPublished) {
        lastPublished = p;
        process.stdout.write(`pub ${Buffer.from(p).toString('base64')}\n`);
      }
      one();
    },
    (err) => {
      process.stderr.write(`append failed: ${err}\n`);
      process.exit(3);
    },
  );
}
for (let i = 0; i < 64; i++) one();
