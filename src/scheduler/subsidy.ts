import { HetaoError } from '../core/index.js';
import type { Jurisdiction } from '../policy/types.js';

/**
 * A compute subsidy: pays `rate` (or `startupRate` for start-ups) of the gross charge at the sites that list it,
 * up to `capPerOrg` per organization (site currency; the caller resets spend at the programme's period boundary).
 */
export interface SubsidyProgramme {
  readonly id: string;
  readonly name: string;
  /** Fraction of the gross charge, 0..1. */
  readonly rate: number;
  /** Rate for start-ups; null = same as `rate`. */
  readonly startupRate: number | null;
  /** Where the paying organization must be registered; empty = anywhere. */
  readonly eligibleJurisdictions: readonly Jurisdiction[];
  /** Named eligible organizations; empty = every organization meeting the other tests. */
  readonly eligibleOrgs: readonly string[];
  readonly startupOnly: boolean;
  /** Maximum subsidy per organization; null = uncapped. */
  readonly capPerOrg: number | null;
}

/**
 * Hong Kong's AI Subsidy Scheme at Cyberport's AI Supercomputing Centre: 70% of compute cost for Hong Kong
 * universities, R&D centres and enterprises. The cap here is illustrative (HKD); set it from the current terms.
 */
export const HK_AI_SUBSIDY_SCHEME: SubsidyProgramme = Object.freeze<SubsidyProgramme>({
  id: 'hk-aiss',
  name: 'Hong Kong AI Subsidy Scheme',
  rate: 0.7,
  startupRate: null,
  eligibleJurisdictions: ['HK'],
  eligibleOrgs: [],
  startupOnly: false,
  capPerOrg: 10_000_000,
});

/** Shenzhen compute vouchers: 50% (60% for start-ups), capped per organization (illustrative cap, CNY). */
export const SZ_COMPUTE_VOUCHERS: SubsidyProgramme = Object.freeze<SubsidyProgramme>({
  id: 'sz-compute-voucher',
  name: 'Shenzhen compute vouchers',
  rate: 0.5,
  startupRate: 0.6,
  eligibleJurisdictions: ['SZ'],
  eligibleOrgs: [],
  startupOnly: false,
  capPerOrg: 5_000_000,
});

export function validateSubsidy(p: SubsidyProgramme): SubsidyProgramme {
  for (const [k, v] of [
    ['rate', p.rate],
    ['startupRate', p.startupRate ?? 0],
  ] as const) {
    if (!(v >= 0 && v <= 1))
      throw new HetaoError('HETAO_SUBSIDY_INVALID', `subsidy ${p.id}: ${k} must be in [0, 1] (got ${v})`, {
        field: k,
      });
  }
  if (p.capPerOrg !== null && !(p.capPerOrg >= 0))
    throw new HetaoError('HETAO_SUBSIDY_INVALID', `subsidy ${p.id}: capPerOrg must be >= 0 (got ${p.capPerOrg})`, {
      field: 'capPerOrg',
    });
  return p;
}

/** The paying organization, as subsidy eligibility sees it. */
export interface SubsidyPayer {
  readonly id: string;
  readonly jurisdiction: Jurisdiction;
  readonly startup: boolean;
}

/** Spend so far per programme and organization, keyed `${programmeId}:${orgId}`. */
export type SubsidySpend = ReadonlyMap<string, number>;

export const spendKey = (programmeId: string, orgId: string): string => `${programmeId}:${orgId}`;

export function subsidyRateFor(p: SubsidyProgramme, payer: SubsidyPayer): number {
  if (p.eligibleJurisdictions.length > 0 && !p.eligibleJurisdictions.includes(payer.jurisdiction)) return 0;
  if (p.eligibleOrgs.length > 0 && !p.eligibleOrgs.includes(payer.id)) return 0;
  if (p.startupOnly && !payer.startup) return 0;
  return payer.startup && p.startupRate !== null ? p.startupRate : p.rate;
}

/** Remaining subsidy under the cap (Infinity when uncapped). */
export function subsidyRemaining(p: SubsidyProgramme, payer: SubsidyPayer, spent: SubsidySpend): number {
  return p.capPerOrg === null
    ? Number.POSITIVE_INFINITY
    : Math.max(0, p.capPerOrg - (spent.get(spendKey(p.id, payer.id)) ?? 0));
}

/**
 * The programme paying the most on a charge of `gross` (one programme per charge; they do not stack).
 * Returns null when none applies or every cap is used up.
 */
export function bestSubsidy(
  programmes: readonly SubsidyProgramme[],
  payer: SubsidyPayer,
  gross: number,
  spent: SubsidySpend,
): { programme: SubsidyProgramme; amount: number } | null {
  let best: { programme: SubsidyProgramme; amount: number } | null = null;
  for (const p of programmes) {
    const amount = Math.min(gross * subsidyRateFor(p, payer), subsidyRemaining(p, payer, spent));
    if (amount > 0 && (best === null || amount > best.amount)) best = { programme: p, amount };
  }
  return best;
}
