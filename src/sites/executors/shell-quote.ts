/** Quotes a string as one POSIX shell word ('…' with embedded quotes closed and escaped). */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
