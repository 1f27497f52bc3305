import { describe, expect, it } from 'vitest';
import { RULEBOOK_VERSION, renderRulebook, rulebook, SOURCES } from './index.js';

describe('rulebook and renderRulebook', () => {
  it('lists every rule once, in evaluation order, each with known sources', () => {
    expect(rulebook.map((r) => r.id)).toEqual([
      'R1',
      'R2a',
      'R2b',
      'R2c',
      'R3',
      'R4',
      'R5',
      'R6',
      'R7',
      'R8',
      'R9',
      'R10',
      'R11',
      'R12',
      'R13',
    ]);
    for (const r of rulebook) {
      expect(r.sources.length).toBeGreaterThan(0);
      for (const s of r.sources) expect(SOURCES).toContain(s);
    }
  });
  it('renders a table with id, title and sources, the version and the parameters', () => {
    const text = renderRulebook();
    expect(text).toContain(RULEBOOK_VERSION);
    expect(text).toMatch(/^id\s+title\s+outcome\s+sources$/m);
    expect(text).toMatch(/^R10\s+Security-assessment thresholds.*P24$/m);
    expect(text).toContain('generalDataListZones = [qianhai]');
    expect(text.endsWith('\n')).toBe(true);
  });
});
