import type { FlowContext, Jurisdiction } from './types.js';

/** rulebook.md: "Mainland" = SZ, GBA-mainland, mainland-other. */
export function isMainland(j: Jurisdiction): boolean {
  return j === 'SZ' || j === 'GBA-mainland' || j === 'mainland-other';
}

/** rulebook.md: "GBA" = SZ, GBA-mainland, HK. */
export function isGba(j: Jurisdiction): boolean {
  return j === 'SZ' || j === 'GBA-mainland' || j === 'HK';
}

/** Personal information crosses out of the Mainland: the trigger of the PIPL Art 39 / Art 55 clause. */
export function piLeavesMainland(ctx: FlowContext): boolean {
  return (
    ctx.data.containsPersonalInfo && isMainland(ctx.exporter.jurisdiction) && !isMainland(ctx.importer.jurisdiction)
  );
}
