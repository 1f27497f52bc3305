import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { zhCN } from '../../web/src/i18n/zh-cn.js';
import { zhHK } from '../../web/src/i18n/zh-hk.js';

type Tree = { readonly [k: string]: string | Tree };

function leaves(o: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string') out.set(`${prefix}${k}`, v);
    else for (const [kk, vv] of leaves(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

const vars = (s: string): string[] => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] as string).sort();
const EN = leaves(en);

describe('dashboard translations', () => {
  for (const [name, res] of [
    ['zh-HK', zhHK],
    ['zh-CN', zhCN],
  ] as const) {
    const other = leaves(res);
    it(`${name} has exactly the English keys`, () => {
      expect([...other.keys()].sort()).toEqual([...EN.keys()].sort());
    });
    it(`${name} uses the same interpolation variables as English, and no string is empty`, () => {
      for (const [k, v] of EN) {
        expect(vars(other.get(k) ?? ''), k).toEqual(vars(v));
        expect((other.get(k) ?? '').trim(), k).not.toBe('');
      }
    });
  }

  it('Traditional and Simplified Chinese are written in their own scripts', () => {
    // A few characters that differ between the scripts: 數/数, 據/据, 個/个, 與/与, 這/这, 賬/账.
    const hk = [...leaves(zhHK).values()].join('');
    const cn = [...leaves(zhCN).values()].join('');
    expect(hk).not.toMatch(/[数据个与这账]/);
    expect(cn).not.toMatch(/[數據個與這賬]/);
  });

  it('says RMB / 人民幣 / 人民币 for CNY', () => {
    expect(en.currency.cny).toContain('RMB');
    expect(zhHK.currency.cny).toContain('人民幣');
    expect(zhCN.currency.cny).toContain('人民币');
  });
});
