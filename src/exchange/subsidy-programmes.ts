import type { Site } from '../registry/index.js';
import type { SubsidyProgramme } from '../scheduler/subsidy.js';

/** A site's registered subsidy programmes as the scheduler's cost model takes them (open to every eligible org). */
export function siteSubsidies(site: Site): SubsidyProgramme[] {
  return site.subsidies.map((p) => ({
    id: p.id,
    name: p.name,
    rate: p.rate,
    startupRate: p.startupRate,
    eligibleJurisdictions: p.eligibleJurisdictions,
    eligibleOrgs: [],
    startupOnly: false,
    capPerOrg: p.capPerOrg,
  }));
}
