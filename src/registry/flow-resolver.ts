import type { FlowContext, Jurisdiction, Origin } from '../policy/types.js';
import { isInForce } from './list-lifecycle.js';
import type { AnnualCounts, Association, Dataset, ListEntry, Organization, Scenario } from './types.js';

/**
 * Everything the registry knows that bears on one flow. The resolver turns it into the engine's FlowContext;
 * it decides nothing itself.
 */
export interface FlowFacts {
  readonly exporter: Organization;
  readonly importer: Organization;
  /** Where the data is now (the dataset's site); defaults to the exporter's jurisdiction. */
  readonly fromJurisdiction?: Jurisdiction;
  /** Where the importer receives it (a site's jurisdiction for a placement); defaults to the importer's. */
  readonly toJurisdiction?: Jurisdiction;
  readonly dataset: Dataset;
  /** Associations either organization is party to (others are ignored). */
  readonly associations: readonly Association[];
  readonly scenario: Scenario | null;
  /** The dataset type's entry on the scenario's list, if any. */
  readonly listEntry: ListEntry | null;
  /** The exporter's totals this year, before this flow. */
  readonly countsBefore: AnnualCounts;
  readonly purpose: string;
  readonly origin?: Origin;
  readonly onwardTransferOutsideGba?: boolean;
  readonly gbaStandardContractElected?: boolean;
  readonly at: number;
}

/** An association counts once a regulator approved it, inside its validity. */
export function isAssociationActive(a: Association, at: number): boolean {
  return a.state === 'approved' && a.validFrom <= at && (a.validUntil === null || at < a.validUntil);
}

export function areAssociated(orgA: string, orgB: string, associations: readonly Association[], at: number): boolean {
  return associations.some(
    (a) => ((a.orgA === orgA && a.orgB === orgB) || (a.orgA === orgB && a.orgB === orgA)) && isAssociationActive(a, at),
  );
}

/** The individuals this flow adds to the exporter's annual counts: (non-sensitive, sensitive). */
export function flowIndividuals(dataset: Dataset): { pi: number; sensitive: number } {
  if (!dataset.containsPersonalInfo) return { pi: 0, sensitive: 0 };
  return dataset.sensitivePersonalInfo
    ? { pi: 0, sensitive: dataset.individuals }
    : { pi: dataset.individuals, sensitive: 0 };
}

export function resolveFlowContext(f: FlowFacts): FlowContext {
  const add = flowIndividuals(f.dataset);
  // A scenario's list speaks for the enterprises piloting it: the exporter must take part in the scenario.
  const inScenario =
    f.scenario?.participants.some((p) => p.orgId === f.exporter.id) === true &&
    f.listEntry !== null &&
    f.listEntry.scenarioId === f.scenario.id &&
    f.listEntry.dataType === f.dataset.dataType;
  const from = f.fromJurisdiction ?? f.exporter.jurisdiction;
  return {
    exporter: {
      jurisdiction: from,
      // A special zone is where the exporter is registered; it applies only to data leaving from Shenzhen.
      zone: from === 'SZ' ? f.exporter.zone : null,
      isCIIO: f.exporter.isCIIO,
      annualPiIndividualsExported: f.countsBefore.piIndividuals + add.pi,
      annualSensitivePiIndividualsExported: f.countsBefore.sensitivePiIndividuals + add.sensitive,
    },
    importer: {
      jurisdiction: f.toJurisdiction ?? f.importer.jurisdiction,
      associatedWithExporter: areAssociated(f.exporter.id, f.importer.id, f.associations, f.at),
      onwardTransferOutsideGba: f.onwardTransferOutsideGba ?? false,
    },
    data: {
      type: f.dataset.dataType,
      containsPersonalInfo: f.dataset.containsPersonalInfo,
      sensitivePersonalInfo: f.dataset.sensitivePersonalInfo,
      classification: f.dataset.classification,
      origin: f.origin ?? 'local',
      onGeneralDataList: inScenario && f.listEntry !== null && isInForce(f.listEntry, f.at),
      scenario: f.scenario?.name ?? null,
      purpose: f.purpose,
    },
    options: { gbaStandardContractElected: f.gbaStandardContractElected ?? false },
  };
}
