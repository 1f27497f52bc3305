/** A plain-text table for people: one header row, columns padded to their widest cell, long cells cut. */
export function table(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return s.length > 60 ? `${s.slice(0, 57)}...` : s;
  };
  const cells = rows.map((r) =>
    columns.map((c) => cell(c.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], r))),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] as string).length)));
  const line = (xs: readonly string[]) =>
    xs
      .map((x, i) => x.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}
