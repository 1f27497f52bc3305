import type { JobCost } from '../api/types';
import type { Formatters } from '../i18n/format';

/** A job's net cost in words: one amount, or one per currency when it ran on both sides of the boundary. */
export function netCost(cost: JobCost, f: Formatters): string {
  if (cost.currency !== null && cost.net !== null) return f.money(cost.net, cost.currency);
  const by = new Map<JobCost['currency'] & string, number>();
  for (const l of cost.lines ?? []) by.set(l.currency, Math.round(((by.get(l.currency) ?? 0) + l.net) * 100) / 100);
  return [...by].map(([c, n]) => f.money(n, c)).join(' + ');
}
