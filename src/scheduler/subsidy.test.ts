import { describe, expect, it } from 'vitest';
import { site } from '../../test/fixtures/scheduler/rulebook-decider.js';
import { chargeJob, ledgerTotals } from './charge.js';
import {
  HK_AI_SUBSIDY_SCHEME,
  type SubsidySpend,
  SZ_COMPUTE_VOUCHERS,
  subsidyRateFor,
  validateSubsidy,
} from './subsidy.js';

const programmes = [HK_AI_SUBSIDY_SCHEME, { ...SZ_COMPUTE_VOUCHERS, capPerOrg: 100 }];
const qh = site('qh', 'Qianhai', 'SZ', { A100: [8, 8] }, 10);
const cp = site('cp', 'Cyberport', 'HK', { A100: [8, 8] }, 20);

describe('subsidies and charges', () => {
  it('pays 70% at Cyberport for Hong Kong organizations and nothing to others', () => {
    const hk = { id: 'hk-ai', jurisdiction: 'HK' as const, startup: false };
    const { charge } = chargeJob({ jobId: 'j', payer: hk, site: cp, gpuHours: 10, programmes, spent: new Map() });
    expect(charge).toMatchObject({
      gross: 200,
      subsidy: 140,
      net: 60,
      programmeId: 'hk-aiss',
      currency: 'HKD',
      capped: false,
    });
    const sz = { id: 'sz-co', jurisdiction: 'SZ' as const, startup: false };
    expect(
      chargeJob({ jobId: 'j', payer: sz, site: cp, gpuHours: 10, programmes, spent: new Map() }).charge.subsidy,
    ).toBe(0);
  });

  it('Shenzhen vouchers: 50%, 60% for start-ups, capped per organization', () => {
    expect(subsidyRateFor(SZ_COMPUTE_VOUCHERS, { id: 'a', jurisdiction: 'SZ', startup: false })).toBe(0.5);
    expect(subsidyRateFor(SZ_COMPUTE_VOUCHERS, { id: 'a', jurisdiction: 'SZ', startup: true })).toBe(0.6);
    const startup = { id: 'sz-start', jurisdiction: 'SZ' as const, startup: true };
    let spent: SubsidySpend = new Map();
    const charges = [];
    for (let i = 0; i < 3; i++) {
      const r = chargeJob({ jobId: `j${i}`, payer: startup, site: qh, gpuHours: 10, programmes, spent });
      spent = r.spent;
      charges.push(r.charge);
    }
    // 60 + 40 (cap 100 reached) + 0
    expect(charges.map((c) => c.subsidy)).toEqual([60, 40, 0]);
    expect(charges.map((c) => c.capped)).toEqual([false, true, true]);
    expect(spent.get('sz-compute-voucher:sz-start')).toBe(100);
    expect(ledgerTotals(charges)).toEqual([
      { org: 'sz-start', currency: 'CNY', gross: 300, subsidy: 100, net: 200, jobs: 3 },
    ]);
  });

  it('rejects rates outside [0, 1]', () => {
    expect(() => validateSubsidy({ ...HK_AI_SUBSIDY_SCHEME, rate: 70 })).toThrow(/rate must be in/);
  });
});
