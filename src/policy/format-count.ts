/**
 * Formats a non-negative integer with comma thousands separators (`1000000` -> `"1,000,000"`), as explanations
 * show counts. Hand-written because `toLocaleString` costs about a microsecond and sits on decide()'s hot path.
 * Non-integers and negatives (never produced by a valid context) fall back to `String(n)`.
 */
export function formatCount(n: number): string {
  if (n < 1000 || !Number.isSafeInteger(n)) return String(n);
  let out = '';
  let rest = n;
  while (rest >= 1000) {
    const group = rest % 1000;
    rest = (rest - group) / 1000;
    out = ',' + (group < 10 ? '00' : group < 100 ? '0' : '') + group + out;
  }
  return rest + out;
}
