import type { Decision } from '../policy/types.js';
import type { Agreement, AgreementKind } from './types.js';

/**
 * Whether a decision, between these two parties for this data type, is a permission: `allow` is; `deny` never is;
 * `requires-approval` needs a recorded security-assessment approval; `allow-with-conditions` needs the instrument
 * its channel names (a filed GBA standard contract, a standard contract or certification, a pilot filing).
 * Channels whose conditions are the parties' own obligations (exempt: notice, consent, PIPIA; hk-pdpo; domestic)
 * count as met: Hetao cannot verify them and the law puts them on the parties, who accept them when they submit.
 */
export interface Coverage {
  readonly permitted: boolean;
  /** The agreement that covers it, `own-obligations`, or null. */
  readonly coveredBy: string | null;
  /** What is missing, one sentence, or null when permitted. */
  readonly missing: string | null;
}

const INSTRUMENTS: Partial<Record<string, { kinds: readonly AgreementKind[]; label: string }>> = {
  'gba-standard-contract': { kinds: ['gba-standard-contract'], label: 'a filed GBA standard contract' },
  'standard-contract': {
    kinds: ['standard-contract', 'certification'],
    label: 'a filed standard contract or certification',
  },
  certification: { kinds: ['certification', 'standard-contract'], label: 'a certification or filed standard contract' },
  'general-data-list': { kinds: ['general-data-list-filing'], label: 'a general-data-list pilot filing' },
  'security-assessment': { kinds: ['security-assessment'], label: 'a security-assessment approval' },
};
const OWN_OBLIGATIONS = new Set(['exempt', 'hk-pdpo', 'domestic']);

export interface Parties {
  readonly exporterOrgId: string;
  readonly importerOrgId: string;
  /** Names for the sentence, e.g. "Qianhai Logistics and HK Affiliate". */
  readonly label: string;
  readonly dataType: string;
}

function inForce(a: Agreement, at: number): boolean {
  return (
    a.validFrom <= at &&
    (a.validUntil === null || at < a.validUntil) &&
    (a.kind === 'security-assessment' || a.filedAt !== null)
  );
}

export function coverageOf(d: Decision, p: Parties, agreements: readonly Agreement[], at: number): Coverage {
  if (d.decision === 'allow') return { permitted: true, coveredBy: null, missing: null };
  const why = `${d.explanation.replace(/\.\s*$/, '')} (${d.ruleId})`;
  if (d.decision === 'deny') return { permitted: false, coveredBy: null, missing: why };
  if (d.decision === 'allow-with-conditions' && OWN_OBLIGATIONS.has(d.channel)) {
    return { permitted: true, coveredBy: 'own-obligations', missing: null };
  }
  const need = INSTRUMENTS[d.decision === 'requires-approval' ? 'security-assessment' : d.channel];
  const found = need
    ? agreements.find(
        (a) =>
          need.kinds.includes(a.kind) &&
          a.exporterOrgId === p.exporterOrgId &&
          a.importerOrgId === p.importerOrgId &&
          (a.dataTypes.length === 0 || a.dataTypes.includes(p.dataType)) &&
          inForce(a, at),
      )
    : undefined;
  if (found) return { permitted: true, coveredBy: found.id, missing: null };
  return {
    permitted: false,
    coveredBy: null,
    missing: `${why}; it needs ${need?.label ?? `an instrument for channel ${d.channel}`} between ${p.label} covering ${p.dataType}, and none is recorded`,
  };
}
