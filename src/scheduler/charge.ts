import type { SiteFacts } from './placement-facts.js';
import {
  bestSubsidy,
  type SubsidyPayer,
  type SubsidyProgramme,
  type SubsidySpend,
  spendKey,
  subsidyRateFor,
} from './subsidy.js';

/** One ledger line: what a job cost at a site, what a subsidy paid and what the organization owes. */
export interface Charge {
  readonly jobId: string;
  readonly org: string;
  readonly siteId: string;
  readonly currency: string;
  readonly gpuHours: number;
  readonly gross: number;
  readonly subsidy: number;
  readonly net: number;
  readonly programmeId: string | null;
  /** The subsidy was cut short by the programme's cap. */
  readonly capped: boolean;
}

/** An amount rounded to the cent (both currencies, CNY and HKD, count in hundredths). */
export const cents = (x: number): number => Math.round(x * 100) / 100;

/** The programmes of `all` that apply at `site`. */
export function siteProgrammes(site: SiteFacts, all: readonly SubsidyProgramme[]): SubsidyProgramme[] {
  return all.filter((p) => site.subsidyProgrammes.includes(p.id));
}

/**
 * Charges a finished (or checkpointed) job: gross = GPU-hours x price; the best applicable subsidy pays its rate
 * up to its remaining cap. Pure: returns the charge and the new spend; the caller persists both.
 */
export function chargeJob(args: {
  jobId: string;
  payer: SubsidyPayer;
  site: SiteFacts;
  gpuHours: number;
  programmes: readonly SubsidyProgramme[];
  spent: SubsidySpend;
}): { charge: Charge; spent: SubsidySpend } {
  const { payer, site } = args;
  const gross = cents(args.gpuHours * site.pricePerGpuHour);
  const here = siteProgrammes(site, args.programmes);
  const best = bestSubsidy(here, payer, gross, args.spent);
  const uncapped = here.reduce((m, p) => Math.max(m, gross * subsidyRateFor(p, payer)), 0);
  const subsidy = best ? cents(best.amount) : 0;
  const spent = new Map(args.spent);
  if (best) {
    const key = spendKey(best.programme.id, payer.id);
    spent.set(key, cents((spent.get(key) ?? 0) + subsidy));
  }
  const charge: Charge = Object.freeze({
    jobId: args.jobId,
    org: payer.id,
    siteId: site.id,
    currency: site.currency,
    gpuHours: args.gpuHours,
    gross,
    subsidy,
    net: cents(gross - subsidy),
    programmeId: best?.programme.id ?? null,
    capped: subsidy < cents(uncapped) - 0.001,
  });
  return { charge, spent };
}

/** Net price per GPU-hour for `payer` at `site` right now (before caps bind), for scoring. */
export function netPricePerGpuHour(
  site: SiteFacts,
  payer: SubsidyPayer,
  programmes: readonly SubsidyProgramme[],
  spent: SubsidySpend,
): number {
  const best = bestSubsidy(siteProgrammes(site, programmes), payer, site.pricePerGpuHour, spent);
  return site.pricePerGpuHour - (best?.amount ?? 0);
}

export interface OrgLedgerTotals {
  readonly org: string;
  readonly currency: string;
  readonly gross: number;
  readonly subsidy: number;
  readonly net: number;
  readonly jobs: number;
}

/** Per organization and currency totals of a list of charges. */
export function ledgerTotals(charges: readonly Charge[]): OrgLedgerTotals[] {
  const by = new Map<
    string,
    { org: string; currency: string; gross: number; subsidy: number; net: number; jobs: number }
  >();
  for (const c of charges) {
    const k = `${c.org}\u0000${c.currency}`;
    const t = by.get(k) ?? { org: c.org, currency: c.currency, gross: 0, subsidy: 0, net: 0, jobs: 0 };
    t.gross = cents(t.gross + c.gross);
    t.subsidy = cents(t.subsidy + c.subsidy);
    t.net = cents(t.net + c.net);
    t.jobs++;
    by.set(k, t);
  }
  return [...by.values()].sort((a, b) => a.org.localeCompare(b.org) || a.currency.localeCompare(b.currency));
}
