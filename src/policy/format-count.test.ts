import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount } from './format-count.js';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1_000, '1,000'],
    [99_999, '99,999'],
    [100_000, '100,000'],
    [1_000_000, '1,000,000'],
    [1_002_003, '1,002,003'],
    [Number.MAX_SAFE_INTEGER, '9,007,199,254,740,991'],
  ])('%i -> %s', (n, text) => {
    expect(formatCount(n)).toBe(text);
  });
  it('agrees with Intl en-US for every safe non-negative integer', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
      }),
    );
  });
});
