import { describe, expect, it } from 'vitest';
import { HetaoError } from '../core/index.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';
import type { LedgerEntry } from './entry-types.js';
import { sampleEntries } from './testing/sample-entries.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    return err instanceof HetaoError ? err.code : 'not a HetaoError';
  }
  return undefined;
}

describe('canonical entry encoding', () => {
  it('round-trips every type; the bytes are sorted-key JSON without whitespace', () => {
    for (const e of sampleEntries(12)) {
      const b = encodeEntry(e);
      expect(decodeEntry(b)).toEqual(e);
      const s = text(b);
      expect(s).not.toMatch(/\s/);
      const keys = Object.keys(JSON.parse(s));
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('encodes the same entry to the same bytes whatever the key order', () => {
    const e = sampleEntries(1)[0] as LedgerEntry;
    const shuffled = Object.fromEntries(Object.entries(e).reverse()) as LedgerEntry;
    expect(text(encodeEntry(shuffled))).toBe(text(encodeEntry(e)));
  });

  it('rejects invalid entries with a code and the field', () => {
    const e = sampleEntries(1)[0] as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>) => () => encodeEntry({ ...e, ...patch } as unknown as LedgerEntry);
    expect(codeOf(bad({ type: 'gossip' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(bad({ v: 3 }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    // version 2 adds only optional fields; version 1 has none of them
    expect(codeOf(bad({ v: 2, listVersion: 'x y' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(bad({ listVersion: '3' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(() =>
      encodeEntry({ ...e, v: 2, scenario: 'cross-border-logistics', listVersion: '3' } as unknown as LedgerEntry),
    ).not.toThrow();
    expect(codeOf(bad({ contextDigest: 'md5:abc' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(bad({ outcome: 'maybe' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(bad({ at: 1.5 }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(bad({ decisionId: undefined }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    // no free text: personal data has nowhere to go
    expect(codeOf(bad({ note: 'Zhang San, +852 5555 0101' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(bad({ ruleId: 'Zhang San lives at 1 Queen St' }))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    try {
      bad({ outcome: 'maybe' })();
    } catch (err) {
      expect((err as HetaoError).field).toBe('outcome');
    }
  });

  it('decoding tampered bytes fails with a code', () => {
    const b = encodeEntry(sampleEntries(1)[0] as LedgerEntry);
    const s = text(b);
    expect(codeOf(() => decodeEntry(bytes(s.replace('"allow"', '"deny"'))))).toBeUndefined(); // valid, different entry
    expect(codeOf(() => decodeEntry(bytes(s.replace('"allow"', '"allo"'))))).toBe('HETAO_LEDGER_ENTRY_INVALID');
    expect(codeOf(() => decodeEntry(bytes(s.replace(',', ', '))))).toBe('HETAO_LEDGER_ENTRY_NONCANONICAL');
    expect(codeOf(() => decodeEntry(bytes(s.replace('"v":1', '"v":1.0'))))).toBe('HETAO_LEDGER_ENTRY_NONCANONICAL');
    expect(codeOf(() => decodeEntry(b.subarray(0, b.length - 1)))).toBe('HETAO_LEDGER_ENTRY_NONCANONICAL');
    expect(codeOf(() => decodeEntry(Uint8Array.of(0xff, 0xfe)))).toBe('HETAO_LEDGER_ENTRY_NONCANONICAL');
    const reordered = `{${s.slice(1, -1).split(',').reverse().join(',')}}`;
    expect(codeOf(() => decodeEntry(bytes(reordered)))).toBe('HETAO_LEDGER_ENTRY_NONCANONICAL');
  });
});
