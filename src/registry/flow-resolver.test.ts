import { describe, expect, it } from 'vitest';
import { type FlowFacts, resolveFlowContext } from './flow-resolver.js';
import { applyListAction, proposeListEntry } from './list-lifecycle.js';
import { association, dataset, org } from './testing/factories.js';
import type { Scenario } from './types.js';

const T = Date.UTC(2026, 6, 1);
const exporter = org({ jurisdiction: 'SZ', zone: 'qianhai' });
const importer = org({ jurisdiction: 'HK' });
const scenario: Scenario = {
  id: 'scn_1',
  name: 'cross-border-logistics',
  title: 'Cross-border logistics',
  zone: 'qianhai',
  participants: [{ orgId: exporter.id, role: 'lead' }],
  version: 1,
  createdAt: T,
  updatedAt: T,
};

function listed(effectiveFrom: number) {
  let e = proposeListEntry('gdl_1', 'scn_1', 'logistics.shipment-status', 'a', 'p', T).entry;
  e = applyListAction(e, { kind: 'pilot' }, 'a', 'r', T).entry;
  e = applyListAction(
    e,
    { kind: 'assess', assessment: { by: 'r', at: T, result: 'safe', evidenceDigest: 'd'.repeat(64) } },
    'a',
    'r',
    T,
  ).entry;
  return applyListAction(e, { kind: 'list', effectiveFrom }, 'a', 'r', T).entry;
}

function facts(over: Partial<FlowFacts> = {}): FlowFacts {
  return {
    exporter,
    importer,
    dataset: dataset(exporter.id, 'site_1', 'logistics.shipment-status'),
    associations: [association(exporter.id, importer.id, { state: 'approved', validFrom: T - 1 })],
    scenario,
    listEntry: listed(T),
    countsBefore: { orgId: exporter.id, year: 2026, piIndividuals: 0, sensitivePiIndividuals: 0 },
    purpose: 'model training',
    at: T + 1,
    ...over,
  };
}

describe('resolveFlowContext', () => {
  it('marks a listed type in force for its scenario and an approved association', () => {
    const ctx = resolveFlowContext(facts());
    expect(ctx.data.onGeneralDataList).toBe(true);
    expect(ctx.data.scenario).toBe('cross-border-logistics');
    expect(ctx.importer.associatedWithExporter).toBe(true);
    expect(ctx.exporter).toMatchObject({ jurisdiction: 'SZ', zone: 'qianhai', isCIIO: false });
  });

  it('does not count a listing not yet in force, or an association not approved or expired', () => {
    expect(resolveFlowContext(facts({ listEntry: listed(T + 10) })).data.onGeneralDataList).toBe(false);
    const declared = association(exporter.id, importer.id, { state: 'confirmed' });
    expect(resolveFlowContext(facts({ associations: [declared] })).importer.associatedWithExporter).toBe(false);
    const expired = association(exporter.id, importer.id, { state: 'approved', validFrom: T - 10, validUntil: T });
    expect(resolveFlowContext(facts({ associations: [expired] })).importer.associatedWithExporter).toBe(false);
  });

  it('does not count a listing of a scenario the exporter takes no part in', () => {
    const others = { ...scenario, participants: [{ orgId: importer.id, role: 'lead' as const }] };
    expect(resolveFlowContext(facts({ scenario: others })).data.onGeneralDataList).toBe(false);
    expect(resolveFlowContext(facts({ scenario: { ...scenario, participants: [] } })).data.onGeneralDataList).toBe(
      false,
    );
  });

  it('adds this flow to the exporter annual counts, sensitive and not', () => {
    const before = { orgId: exporter.id, year: 2026, piIndividuals: 99_000, sensitivePiIndividuals: 3 };
    const pi = dataset(exporter.id, 's', 'crm.records', { containsPersonalInfo: true, individuals: 1_000 });
    const ctx = resolveFlowContext(facts({ dataset: pi, countsBefore: before }));
    expect(ctx.exporter.annualPiIndividualsExported).toBe(100_000);
    expect(ctx.exporter.annualSensitivePiIndividualsExported).toBe(3);
    const spi = dataset(exporter.id, 's', 'health.records', {
      containsPersonalInfo: true,
      sensitivePersonalInfo: true,
      individuals: 7,
    });
    const ctx2 = resolveFlowContext(facts({ dataset: spi, countsBefore: before }));
    expect(ctx2.exporter.annualSensitivePiIndividualsExported).toBe(10);
    expect(ctx2.data.onGeneralDataList).toBe(false);
  });

  it('uses the site jurisdictions when placing compute', () => {
    const ctx = resolveFlowContext(facts({ fromJurisdiction: 'SZ', toJurisdiction: 'SZ' }));
    expect(ctx.importer.jurisdiction).toBe('SZ');
  });
});
