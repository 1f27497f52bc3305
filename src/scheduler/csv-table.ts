import { parse } from 'csv-parse/sync';
import { HetaoError } from '../core/index.js';

/** A parsed CSV: the header's column names and each row with its 1-based line in the file. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<{ readonly line: number; readonly cells: readonly string[] }>;
}

export function readCsv(text: string, what: string, required: readonly string[]): CsvTable {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      skip_empty_lines: true,
      trim: true,
      info: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (cause) {
    throw new HetaoError('HETAO_TRACE_INVALID', `${what}: ${(cause as Error).message}`, { cause });
  }
  const [head, ...rest] = records;
  const header = head?.record ?? [];
  for (const col of required)
    if (!header.includes(col))
      throw new HetaoError('HETAO_TRACE_INVALID', `${what}: header lacks column ${col} (has ${header.join(',')})`, {
        field: `1.${col}`,
      });
  return { header, rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })) };
}

/** Column accessor for one table with typed, line-aware parsing. */
export function columns(t: CsvTable, what: string) {
  const at = new Map(t.header.map((c, i) => [c, i] as const));
  const raw = (cells: readonly string[], col: string): string => cells[at.get(col) ?? -1] ?? '';
  return {
    has: (col: string): boolean => at.has(col),
    str: raw,
    num(cells: readonly string[], col: string, line: number, opts: { optional?: boolean; min?: number } = {}) {
      const s = raw(cells, col);
      if (s === '' && opts.optional) return null;
      const n = Number(s);
      if (s === '' || !Number.isFinite(n) || n < (opts.min ?? Number.NEGATIVE_INFINITY))
        throw new HetaoError(
          'HETAO_TRACE_INVALID',
          `${what}: line ${line} column ${col} must be a number${opts.min !== undefined ? ` >= ${opts.min}` : ''} (got ${JSON.stringify(s)})`,
          { field: `${line}.${col}` },
        );
      return n;
    },
  };
}
