import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../policy/index.js';
import { org } from '../../registry/testing/factories.js';
import { createHarness, type Harness } from '../testing/api-harness.js';
import { requestFlow } from './flow-service.js';

/** The exporter's annual counts as POST /flows keeps them (P24: individuals whose PI left the Mainland). */
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  const type = await h.call('POST', '/data-types', h.tokens.regulator, {
    name: 'crm.records',
    title: 'CRM records',
    defaultClassification: 'general',
    containsPersonalInfo: true,
  });
  expect(type.status).toBe(201);
});
afterEach(async () => h?.close());

async function piDataset(name: string, individuals: number): Promise<string> {
  const ds = await h.call('POST', '/datasets', h.tokens['org-member'], {
    name,
    siteId: h.site.id,
    dataType: 'crm.records',
    sizeBytes: 1_000_000,
    contentDigest: 'e'.repeat(64),
    individuals,
  });
  expect(ds.status).toBe(201);
  return ds.body.id;
}

const flow = (datasetId: string, importerOrgId: string) =>
  h.call('POST', '/flows', h.tokens['org-member'], { datasetId, importerOrgId, purpose: 'customer support' });

/** A member of the exporter, Qianhai Robotics, as the route would pass it to requestFlow. */
const memberOfA = () =>
  ({ accountId: 'acc_a', name: 'a', orgId: h.orgA.id, role: 'org-member', side: 'mainland', siteId: null }) as const;

const counts = (year: number) => h.store.registry.getAnnualCounts(h.orgA.id, year);

describe('POST /flows and the annual counts', () => {
  it('counts only personal information that leaves the Mainland: a domestic flow adds nothing', async () => {
    const guangzhou = await h.store.registry.insertOrganization(
      org({ name: 'Guangzhou Analytics', jurisdiction: 'GBA-mainland' }),
    );
    const ds = await piDataset('crm-2026', 60_000);
    const domestic = await flow(ds, guangzhou.id);
    expect(domestic.body).toMatchObject({ permitted: true, decision: { ruleId: 'R1', channel: 'domestic' } });
    expect((await counts(2026)).piIndividuals).toBe(0);
    // Still exempt by volume: the domestic flow did not use up the exemption.
    const out = await flow(ds, h.orgB.id);
    expect(out.body).toMatchObject({ permitted: true, decision: { ruleId: 'R12', channel: 'exempt' } });
    expect((await counts(2026)).piIndividuals).toBe(60_000);
  });

  it('decides two requests of one exporter one after the other, so together they cannot slip under a threshold', async () => {
    const a = await piDataset('crm-a', 60_000);
    const b = await piDataset('crm-b', 60_000);
    // Called directly, as two HTTP requests handled at once would: their reads and writes interleave.
    const actor = memberOfA();
    const ask = (datasetId: string) =>
      requestFlow(h.deps, actor, { datasetId, importerOrgId: h.orgB.id, purpose: 'support' });
    const both = await Promise.all([ask(a), ask(b)]);
    // The first is exempt (60,000 < 100,000); the second is decided on 120,000: past the exemption, so the GBA
    // standard contract it has not filed is needed, and it is not permitted.
    expect(both.map((r) => (r.decision as Decision).ruleId).sort()).toEqual(['R11', 'R12']);
    expect(both.map((r) => r.permitted).sort()).toEqual([false, true]);
    expect((await counts(2026)).piIndividuals).toBe(60_000);
  });

  it('starts a new year at midnight in Beijing and Hong Kong, not in UTC', async () => {
    const ds = await piDataset('crm-new-year', 60_000);
    h.clock.set(Date.UTC(2026, 11, 31, 17)); // 2027-01-01 01:00 at UTC+8
    expect((await flow(ds, h.orgB.id)).body.permitted).toBe(true);
    expect((await counts(2027)).piIndividuals).toBe(60_000);
    expect((await counts(2026)).piIndividuals).toBe(0);
  });

  it('records the decision, the counts and its ledger entry together: with the log down the flow stands, and its entry and index follow', async () => {
    const ds = await piDataset('crm-staged', 60_000);
    const actor = memberOfA();
    const before = (await h.ledgerEntries()).length;
    const down = { ...h.deps, ledger: { ...h.deps.ledger, flush: () => Promise.reject(new Error('log down')) } };
    const r = await requestFlow(down, actor, { datasetId: ds, importerOrgId: h.orgB.id, purpose: 'support' });
    expect(r).toMatchObject({ permitted: true, ledgerIndex: null });
    expect((await counts(2026)).piIndividuals).toBe(60_000);
    expect(await h.ledgerEntries()).toHaveLength(before);
    expect((await h.store.ledger.readOutbox(10)).map((o) => o.ref)).toEqual([`flow:${r.id}`]);

    await h.deps.ledger.flush(); // the log is back
    const entries = await h.ledgerEntries();
    expect(entries).toHaveLength(before + 1);
    expect(entries[before]).toMatchObject({ type: 'flow-decision', decisionId: r.id });
    expect((await h.store.registry.getFlow(r.id))?.ledgerIndex).toBe(before);
    const listed = await h.call('GET', '/flows', h.tokens['org-member']);
    expect(listed.body.items.find((f: { id: string }) => f.id === r.id).ledgerIndex).toBe(before);
  });
});
