import type { LedgerEntry } from '../../src/ledger/index.js';
import { sampleEntries } from '../../src/ledger/testing/sample-entries.js';

const base = sampleEntries(70);

/** The k-th entry the crash test appends: deterministic, so the parent can recompute its bytes. */
export function crashEntry(k: number): LedgerEntry {
  return { ...base[k % base.length], at: 1_767_225_600_000 + k } as LedgerEntry;
}
