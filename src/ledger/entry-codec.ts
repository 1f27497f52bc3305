import { HetaoError } from '../core/index.js';
import type { Field } from './entry-fields.js';
import { type EntryType, entrySchemas, type LedgerEntry } from './entry-types.js';

/**
 * Canonical entry bytes: JSON with keys sorted by UTF-16 code unit, no whitespace, integers only, UTF-8; absent
 * optional fields are omitted (never null). One entry has exactly one encoding, so `decode` can demand that the
 * stored bytes equal the re-encoding of what they decode to, and any edit to stored bytes is detected.
 */

/** Entry bundles length-prefix entries with a uint16 (c2sp.org/tlog-tiles). */
export const MAX_ENTRY_BYTES = 65_535;

interface CompiledSchema {
  /** Field names including `type` and `v`, sorted: the canonical key order, with their JSON-quoted forms. */
  readonly keys: readonly string[];
  readonly quoted: readonly string[];
  readonly fields: Readonly<Record<string, Field<unknown>>>;
}

const compiled = new Map<string, CompiledSchema>();
for (const [type, versions] of Object.entries(entrySchemas)) {
  for (const [v, fields] of Object.entries(versions as Record<string, Record<string, Field<unknown>>>)) {
    const keys = ['type', 'v', ...Object.keys(fields)].sort();
    compiled.set(`${type}@${v}`, { keys, quoted: keys.map((k) => JSON.stringify(k)), fields });
  }
}

function invalid(message: string, field?: string): HetaoError {
  return new HetaoError('HETAO_LEDGER_ENTRY_INVALID', message, field === undefined ? {} : { field });
}

function schemaOf(value: Record<string, unknown>): CompiledSchema {
  const { type, v } = value;
  if (typeof type !== 'string' || !Object.hasOwn(entrySchemas, type))
    throw invalid(`entry.type must be one of ${Object.keys(entrySchemas).join(', ')}`, 'type');
  const schema = Number.isSafeInteger(v) ? compiled.get(`${type}@${v}`) : undefined;
  if (schema === undefined) {
    const known = Object.keys(entrySchemas[type as EntryType]).join(', ');
    throw invalid(`entry.v must be a schema version of ${type} (${known}; got ${JSON.stringify(v)})`, 'v');
  }
  return schema;
}

/**
 * Validates an entry against its schema and returns its canonical text. Every string kind is checked against a
 * charset without quotes, backslashes or control characters, so quoting it directly equals JSON.stringify.
 */
function canonicalText(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('an entry must be an object');
  const obj = value as Record<string, unknown>;
  const schema = schemaOf(obj);
  let present = 0;
  for (const key in obj) if (Object.hasOwn(obj, key) && obj[key] !== undefined) present++;
  let out = '{';
  let written = 0;
  const { keys, quoted, fields } = schema;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = obj[key];
    if (key !== 'type' && key !== 'v') {
      const f = fields[key] as Field<unknown>;
      if (v === undefined) {
        if (f.optional) continue;
        throw invalid(`entry.${key} is required for ${obj.type} v${obj.v}`, key);
      }
      const problem = f.check(v);
      if (problem !== undefined) throw invalid(`entry.${key} ${problem} (got ${JSON.stringify(v)})`, key);
    }
    out += `${written++ === 0 ? '' : ','}${quoted[i]}:${typeof v === 'string' ? `"${v}"` : v}`;
  }
  if (written !== present) {
    const extra = Object.keys(obj).find((k) => obj[k] !== undefined && !keys.includes(k));
    throw invalid(`entry.${extra} is not a field of ${obj.type} v${obj.v}`, extra);
  }
  return `${out}}`;
}

export function encodeEntry(entry: LedgerEntry): Uint8Array {
  // Canonical text is ASCII by construction (every field kind's charset is), so latin1 is its UTF-8, and small
  // Buffers come from Node's pool: far less garbage than one ArrayBuffer per entry.
  const bytes = Buffer.from(canonicalText(entry), 'latin1');
  if (bytes.length > MAX_ENTRY_BYTES) throw invalid(`an entry must be at most ${MAX_ENTRY_BYTES} bytes`);
  return bytes;
}

/** Decodes and validates stored bytes; rejects any bytes that are not the canonical encoding of their entry. */
export function decodeEntry(bytes: Uint8Array): LedgerEntry {
  return Object.freeze(checkCanonicalEntry(bytes));
}

/** decodeEntry without freezing the result: for bulk verification, which drops the value at once. */
export function checkCanonicalEntry(bytes: Uint8Array): LedgerEntry {
  let text: string;
  let value: unknown;
  try {
    // latin1 maps each byte to one char; canonical text is ASCII, so any non-ASCII byte fails the comparison below.
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    value = JSON.parse(text);
  } catch (cause) {
    throw new HetaoError('HETAO_LEDGER_ENTRY_NONCANONICAL', 'entry bytes are not UTF-8 JSON', { cause });
  }
  // latin1 decoding is one-to-one, so comparing texts compares bytes.
  if (canonicalText(value) !== text)
    throw new HetaoError('HETAO_LEDGER_ENTRY_NONCANONICAL', 'entry bytes are not the canonical encoding of the entry');
  return value as LedgerEntry;
}
