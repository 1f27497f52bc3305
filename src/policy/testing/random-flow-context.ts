import type { Classification, FlowContext, Jurisdiction, Zone } from '../types.js';
import { CLASSIFICATIONS, JURISDICTIONS } from '../types.js';

/** A small seeded PRNG (mulberry32): benches and tests get the same contexts on every run. Returns [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PURPOSES = ['contract-necessity', 'hr', 'emergency', 'analytics', 'marketing', 'research'] as const;
/** Counts concentrated around the rulebook's boundaries, so every rule fires often. */
const N_POINTS = [0, 1, 10, 5_000, 99_999, 100_000, 150_000, 999_999, 1_000_000, 2_500_000];
const S_POINTS = [0, 0, 0, 1, 9_999, 10_000, 50_000];

/**
 * A random valid FlowContext (it passes parseFlowContext): jurisdictions, tiers, flags and counts vary; counts are
 * consistent with the PI flags (the counts include this flow) and a zone is set only for SZ exporters.
 */
export function randomFlowContext(rand: () => number): FlowContext {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const bool = (p = 0.5) => rand() < p;
  // Weighted towards SZ -> HK, the flows this product is about.
  const exporterJ: Jurisdiction = bool(0.5) ? 'SZ' : pick(JURISDICTIONS);
  const importerJ: Jurisdiction = bool(0.5) ? 'HK' : pick(JURISDICTIONS);
  const zone: Zone | null = exporterJ === 'SZ' ? pick<Zone | null>(['qianhai', 'hetao-sz', null]) : null;
  const containsPersonalInfo = bool();
  const sensitivePersonalInfo = containsPersonalInfo && bool(0.3);
  let n = pick(N_POINTS) + (bool(0.2) ? Math.floor(rand() * 1000) : 0);
  let s = pick(S_POINTS);
  if (sensitivePersonalInfo && s === 0) s = 1;
  if (containsPersonalInfo && !sensitivePersonalInfo && n === 0) n = 1;
  const classification: Classification = bool(0.7) ? 'general' : pick(CLASSIFICATIONS);
  return {
    exporter: {
      jurisdiction: exporterJ,
      zone,
      isCIIO: bool(0.1),
      annualPiIndividualsExported: n,
      annualSensitivePiIndividualsExported: s,
    },
    importer: { jurisdiction: importerJ, associatedWithExporter: bool(), onwardTransferOutsideGba: bool(0.2) },
    data: {
      type: pick(['logistics.shipment-status', 'crm.records', 'iot.telemetry', 'hr.payroll']),
      containsPersonalInfo,
      sensitivePersonalInfo,
      classification,
      origin: bool(0.1) ? 'abroad' : 'local',
      onGeneralDataList: bool(),
      scenario: bool() ? 'cross-border-logistics' : null,
      purpose: pick(PURPOSES),
    },
    options: { gbaStandardContractElected: bool(0.3) },
  };
}
