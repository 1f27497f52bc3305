import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { association, org } from '../../registry/testing/factories.js';
import { createHarness, type Harness } from '../testing/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

const digest = (c: string) => c.repeat(64);

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) =>
  h.call(method, url, token, payload);

describe('registry workflow: the general data list lets listed data flow between associated enterprises', () => {
  it('goes from a proposed type to a permitted flow, one ledger entry per change', async () => {
    const { tokens, other } = h;
    const before = (await h.ledgerEntries()).length;
    const type = await call('POST', '/data-types', tokens.regulator, {
      name: 'logistics.shipment-status',
      title: 'Shipment status',
      defaultClassification: 'general',
      containsPersonalInfo: false,
    });
    expect(type.status).toBe(201);

    const ds = await call('POST', '/datasets', tokens['org-member'], {
      name: 'shipments-2026',
      siteId: h.site.id,
      dataType: 'logistics.shipment-status',
      sizeBytes: 5_000_000,
      contentDigest: digest('a'),
    });
    expect(ds.status).toBe(201);
    expect(ds.body).toMatchObject({ ownerOrgId: h.orgA.id, classification: 'general', individuals: 0 });

    const assoc = await call('POST', '/associations', tokens['org-admin'], {
      orgB: h.orgB.id,
      basis: 'shareholding',
      shareholdingPct: 60,
      evidenceDigest: digest('b'),
    });
    expect(assoc.status).toBe(201);
    expect((await call('POST', `/associations/${assoc.body.id}/approve`, tokens.regulator, {})).status).toBe(409);
    expect((await call('POST', `/associations/${assoc.body.id}/confirm`, tokens['org-admin'], {})).status).toBe(403);
    expect((await call('POST', `/associations/${assoc.body.id}/confirm`, other['org-admin'], {})).body.state).toBe(
      'confirmed',
    );
    expect((await call('POST', `/associations/${assoc.body.id}/approve`, other.regulator, {})).body.state).toBe(
      'approved',
    );

    const scn = await call('POST', '/scenarios', tokens.regulator, {
      name: 'cross-border-logistics',
      title: 'Cross-border logistics',
      zone: 'qianhai',
      participants: [{ orgId: h.orgA.id, role: 'lead' }],
    });
    expect(scn.status).toBe(201);
    const entry = await call('POST', '/general-data-list', tokens['org-admin'], {
      scenarioId: scn.body.id,
      dataType: 'logistics.shipment-status',
      reason: 'piloted in customs clearance',
    });
    expect(entry.status).toBe(201);
    const step = (kind: string, body: object, token = tokens.regulator) =>
      call('POST', `/general-data-list/${entry.body.id}/${kind}`, token, { reason: kind, ...body });
    expect((await step('pilot', {}, other.regulator)).status).toBe(403);
    expect((await step('pilot', {})).body.state).toBe('piloting');
    expect((await step('list', {})).status).toBe(409);
    expect((await step('assess', { result: 'safe', evidenceDigest: digest('c') })).body.state).toBe('assessed');
    const listed = await step('list', {});
    expect(listed.body).toMatchObject({ state: 'listed', version: 4 });
    const hist = await call('GET', `/general-data-list/${entry.body.id}/history`, other['org-member']);
    expect(hist.body.items.map((x: { state: string }) => x.state)).toEqual([
      'proposed',
      'piloting',
      'assessed',
      'listed',
    ]);

    // Listed + associated + qianhai exporter -> allow-with-conditions via the general data list; needs a pilot filing.
    const ask = {
      datasetId: ds.body.id,
      importerOrgId: h.orgB.id,
      purpose: 'route optimisation',
      scenarioId: scn.body.id,
    };
    const f1 = await call('POST', '/flows', tokens['org-member'], ask);
    expect(f1.status).toBe(201);
    expect(f1.body.decision).toMatchObject({
      decision: 'allow-with-conditions',
      channel: 'general-data-list',
      ruleId: 'R5',
    });
    expect(f1.body.permitted).toBe(false);
    expect(f1.body.missing).toContain('pilot filing');
    const filing = await call('POST', '/agreements', tokens['org-admin'], {
      kind: 'general-data-list-filing',
      exporterOrgId: h.orgA.id,
      importerOrgId: h.orgB.id,
      dataTypes: ['logistics.shipment-status'],
      filedAt: h.clock.now(),
      evidenceDigest: digest('d'),
    });
    expect(filing.status).toBe(201);
    const f2 = await call('POST', '/flows', tokens['org-member'], ask);
    expect(f2.body).toMatchObject({ permitted: true, missing: null });
    expect(typeof f2.body.ledgerIndex).toBe('number');

    // The importer sees the flows it is party to; an unrelated org would not.
    const seen = await call('GET', '/flows', other['org-member']);
    expect(seen.body.items.map((f: { id: string }) => f.id)).toEqual([f2.body.id, f1.body.id]);

    // data type, dataset, association x3, scenario, list x4, flow x2, agreement = 13 changes, 13 entries
    const added = (await h.ledgerEntries()).slice(before);
    expect(added.map((e) => e.type)).toEqual([
      'registry-change',
      'registry-change',
      'association-change',
      'association-change',
      'association-change',
      'registry-change',
      'list-change',
      'list-change',
      'list-change',
      'list-change',
      'flow-decision',
      'registry-change',
      'flow-decision',
    ]);
    // Each flow entry names the scenario and the version of its list entry that was in force.
    expect(added.at(-1)).toMatchObject({ v: 2, scenario: 'cross-border-logistics', listVersion: '4', ruleId: 'r5' });
  });

  it('keeps a registry change and its ledger entry together: with the log down the change stands, its entry follows', async () => {
    const before = (await h.ledgerEntries()).length;
    const flush = vi.spyOn(h.deps.ledger, 'flush').mockRejectedValueOnce(new Error('log down'));
    try {
      const type = await call('POST', '/data-types', h.tokens.regulator, {
        name: 'logistics.customs-status',
        title: 'Customs status',
        defaultClassification: 'general',
        containsPersonalInfo: false,
      });
      expect(type.status).toBe(201);
      expect(flush).toHaveBeenCalledTimes(1);
      expect(await h.ledgerEntries()).toHaveLength(before);
      expect(await h.store.ledger.readOutbox(10)).toHaveLength(1);
    } finally {
      flush.mockRestore();
    }
    await h.deps.ledger.flush(); // the log is back
    const added = (await h.ledgerEntries()).slice(before);
    expect(added).toMatchObject([
      { type: 'registry-change', object: 'data-type', objectId: 'logistics.customs-status', action: 'create' },
    ]);
    expect(await h.store.ledger.readOutbox(10)).toEqual([]);
  });

  it('answers a what-if without recording anything', async () => {
    const before = (await h.ledgerEntries()).length;
    const ctx = () => ({
      exporter: {
        jurisdiction: 'SZ',
        isCIIO: true,
        annualPiIndividualsExported: 10,
        annualSensitivePiIndividualsExported: 0,
      },
      importer: { jurisdiction: 'HK', associatedWithExporter: false },
      data: {
        type: 'crm.records',
        containsPersonalInfo: true,
        sensitivePersonalInfo: false,
        classification: 'general',
        purpose: 'support',
      },
    });
    const res = await call('POST', '/flows/decide', h.other['org-member'], ctx());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ decision: 'requires-approval', channel: 'security-assessment', ruleId: 'R9' });
    expect((await h.ledgerEntries()).length).toBe(before);
    // It changes nothing, so it takes no idempotency key: the same key twice is two fresh answers.
    const again = await h.call('POST', '/flows/decide', h.other['org-member'], ctx(), {
      'idempotency-key': '"what-if-1"',
    });
    const twice = await h.call('POST', '/flows/decide', h.other['org-member'], ctx(), {
      'idempotency-key': '"what-if-1"',
    });
    expect([again.status, twice.status, twice.headers['idempotent-replayed']]).toEqual([200, 200, undefined]);
    const bad = await call('POST', '/flows/decide', h.other['org-member'], { exporter: { jurisdiction: 'XX' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toMatch(/^HETAO_POLICY_INPUT/);
  });
});

describe('associations and the regulators of each side', () => {
  it('lets a regulator approve or revoke only an association with an organization on its own side', async () => {
    const now = h.clock.now();
    const shenzhen = await h.store.registry.insertOrganization(
      org({ name: 'Futian Logistics', jurisdiction: 'SZ', createdAt: now, updatedAt: now }),
    );
    const a = await h.store.registry.insertAssociation(
      association(h.orgA.id, shenzhen.id, { state: 'confirmed', createdAt: now, updatedAt: now }),
    );
    const hkRegulator = h.other.regulator;
    const approve = await call('POST', `/associations/${a.id}/approve`, hkRegulator, {});
    expect([approve.status, approve.body.message]).toEqual([
      403,
      'a hk-side regulator may not approve an association between mainland and mainland organizations',
    ]);
    const revoke = await call('POST', `/associations/${a.id}/revoke`, hkRegulator, {});
    expect(revoke.status).toBe(403);
    expect((await h.store.registry.getAssociation(a.id))?.state).toBe('confirmed');
    const ours = await call('POST', `/associations/${a.id}/revoke`, h.tokens.regulator, {});
    expect([ours.status, ours.body.state]).toEqual([200, 'revoked']);
  });
});
