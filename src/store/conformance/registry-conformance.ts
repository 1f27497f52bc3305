import { describe, expect, it } from 'vitest';
import type { HetaoError } from '../../core/index.js';
import { type FlowRecord, flowRef, type ListEntry, type ListEntryVersion } from '../../registry/index.js';
import { association, at, dataset, dataType, nextId, org, site } from '../../registry/testing/factories.js';
import { openStore, type Store } from '../open-store.js';
import { freshStorePerTest } from '../testing/fresh-store.js';
import type { TestTarget } from '../testing/targets.js';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: HetaoError) => e.code ?? String(e),
  );

/** The registry ports' contract, run against one database. */
export function registryConformance(target: TestTarget): void {
  const fx = freshStorePerTest(target, at);

  describe('organizations', () => {
    it('round-trips, pages by id and refuses a duplicate name', async () => {
      const r = fx.store.registry;
      const made = [];
      for (let i = 0; i < 5; i++) made.push(await r.insertOrganization(org({ isCIIO: i === 2, zone: 'qianhai' })));
      expect(await r.getOrganization(made[2]!.id)).toEqual(made[2]);
      expect(await r.getOrganization('org_00000000000000000000000000')).toBeNull();
      const p1 = await r.listOrganizations({ limit: 2 });
      const p2 = await r.listOrganizations({ limit: 2, after: p1.next });
      const p3 = await r.listOrganizations({ limit: 2, after: p2.next });
      expect([...p1.items, ...p2.items, ...p3.items].map((o) => o.id)).toEqual(made.map((o) => o.id).sort());
      expect(p3.next).toBeNull();
      expect(await code(r.insertOrganization(org({ name: made[0]!.name })))).toBe('HETAO_STORE_DUPLICATE');
    });

    it('updates with optimistic concurrency: a stale version is a conflict and changes nothing', async () => {
      const r = fx.store.registry;
      const o = await r.insertOrganization(org());
      const v2 = await r.updateOrganization(o.id, 1, { isStartup: true }, at + 10);
      expect(v2).toMatchObject({ version: 2, isStartup: true, updatedAt: at + 10, createdAt: o.createdAt });
      expect(await code(r.updateOrganization(o.id, 1, { isCIIO: true }, at + 20))).toBe('HETAO_STORE_CONFLICT');
      expect(await r.getOrganization(o.id)).toEqual(v2);
      expect(await code(r.updateOrganization(nextId('org'), 1, {}, at))).toBe('HETAO_STORE_NOT_FOUND');
    });

    it("keeps an organization's GPU share exactly (a fraction)", async () => {
      const r = fx.store.registry;
      const o = await r.insertOrganization(org({ gpuShare: 0.35 }));
      expect((await r.getOrganization(o.id))?.gpuShare).toBe(0.35);
      const v2 = await r.updateOrganization(o.id, 1, { gpuShare: 1 / 3 }, at + 10);
      expect((await r.getOrganization(o.id))?.gpuShare).toBe(1 / 3);
      expect(v2.gpuShare).toBe(1 / 3);
    });

    it('keeps all GPU shares together within 1: a share that would pass it is refused and changes nothing', async () => {
      const r = fx.store.registry;
      const a = await r.insertOrganization(org({ gpuShare: 0.6 }));
      const b = await r.insertOrganization(org({ gpuShare: 0.4 }));
      expect(await code(r.insertOrganization(org({ gpuShare: 0.01 })))).toBe('HETAO_REGISTRY_INVALID');
      expect(await code(r.updateOrganization(b.id, 1, { gpuShare: 0.5 }, at + 1))).toBe('HETAO_REGISTRY_INVALID');
      expect(await r.getOrganization(b.id)).toEqual(b);
      // An organization's own share is not counted twice; lowering is always possible; no share is no check.
      expect((await r.updateOrganization(a.id, 1, { gpuShare: 0.6 }, at + 2)).version).toBe(2);
      expect((await r.updateOrganization(a.id, 2, { gpuShare: 0.5 }, at + 3)).gpuShare).toBe(0.5);
      expect((await r.insertOrganization(org({ gpuShare: 0.1 }))).gpuShare).toBe(0.1);
      expect((await r.insertOrganization(org())).gpuShare).toBe(0);
    });
  });

  describe('associations, sites, data types, datasets', () => {
    it('keep references: unknown organizations, sites and types are refused', async () => {
      const r = fx.store.registry;
      const a = await r.insertOrganization(org({ jurisdiction: 'SZ', zone: 'qianhai' }));
      const b = await r.insertOrganization(org({ jurisdiction: 'HK' }));
      expect(await code(r.insertAssociation(association(a.id, nextId('org'))))).toBe('HETAO_STORE_REFERENCE');
      const as = await r.insertAssociation(association(a.id, b.id));
      expect(await r.listAssociationsOf(b.id)).toEqual([as]);
      const approved = await r.updateAssociation(as.id, 1, { state: 'approved', approvedBy: 'acct_reg' }, at + 1);
      expect((await r.getAssociation(as.id))?.state).toBe('approved');
      expect(approved.version).toBe(2);

      const s = await r.insertSite(site(b.id));
      expect(await r.getSite(s.id)).toEqual(s);
      expect(await code(r.insertSite(site(nextId('org'))))).toBe('HETAO_STORE_REFERENCE');

      const t = await r.insertDataType(dataType({ containsPersonalInfo: true }));
      expect(await r.getDataType(t.name)).toEqual(t);
      expect(await code(r.insertDataType(t))).toBe('HETAO_STORE_DUPLICATE');

      const d1 = await r.insertDataset(
        dataset(a.id, s.id, t.name, { individuals: 150_000, containsPersonalInfo: true }),
      );
      await r.insertDataset(dataset(b.id, s.id, t.name));
      expect(await code(r.insertDataset(dataset(a.id, s.id, 'no.such-type')))).toBe('HETAO_STORE_REFERENCE');
      expect((await r.listDatasets({ ownerOrgId: a.id })).items).toEqual([d1]);
      expect((await r.listDatasets({})).items).toHaveLength(2);
      const moved = await r.updateDataset(d1.id, 1, { classification: 'important' }, at + 5);
      expect(moved.classification).toBe('important');
    });
  });

  describe('scenarios and the general data list', () => {
    it('keeps participants and the full version history of a list entry', async () => {
      const r = fx.store.registry;
      const a = await r.insertOrganization(org());
      const b = await r.insertOrganization(org({ jurisdiction: 'HK' }));
      const t = await r.insertDataType(dataType());
      const sc = await r.insertScenario({
        id: nextId('scn'),
        name: 'cross-border-logistics',
        title: 'Cross-border logistics',
        zone: 'qianhai',
        participants: [{ orgId: a.id, role: 'lead' }],
        version: 1,
        createdAt: at,
        updatedAt: at,
      });
      expect((await r.getScenarioByName('cross-border-logistics'))?.participants).toEqual([
        { orgId: a.id, role: 'lead' },
      ]);
      const sc2 = await r.putParticipant(sc.id, 1, { orgId: b.id, role: 'participant' }, at + 1);
      expect(sc2.version).toBe(2);
      expect(sc2.participants).toHaveLength(2);
      expect(await code(r.putParticipant(sc.id, 1, { orgId: b.id, role: 'lead' }, at + 2))).toBe(
        'HETAO_STORE_CONFLICT',
      );

      const entry: ListEntry = {
        id: nextId('gdl'),
        scenarioId: sc.id,
        dataType: t.name,
        state: 'proposed',
        assessment: null,
        effectiveFrom: null,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      const rec = (e: ListEntry, reason: string): ListEntryVersion => ({
        entryId: e.id,
        version: e.version,
        state: e.state,
        actor: 'acct_officer',
        reason,
        at: e.updatedAt,
        entry: e,
      });
      // Each step stages its ledger entry with it; a step refused stages nothing.
      const bytes = (n: number) => new TextEncoder().encode(`{"type":"list-change","n":${n}}`);
      await r.insertListEntry(entry, rec(entry, 'proposed'), bytes(1));
      const piloting: ListEntry = { ...entry, state: 'piloting', version: 2, updatedAt: at + 1 };
      await r.saveListTransition(piloting, 1, rec(piloting, 'pilot started'), bytes(2));
      expect(await code(r.saveListTransition({ ...piloting, version: 2 }, 1, rec(piloting, 'again'), bytes(3)))).toBe(
        'HETAO_STORE_CONFLICT',
      );
      const staged = await fx.store.ledger.readOutbox(10);
      expect(staged.map((o) => Buffer.from(o.bytes).toString())).toEqual([
        '{"type":"list-change","n":1}',
        '{"type":"list-change","n":2}',
      ]);
      expect(await r.findListEntry(sc.id, t.name)).toEqual(piloting);
      const history = await r.listEntryHistory(entry.id);
      expect(history.map((h) => [h.version, h.state, h.reason])).toEqual([
        [1, 'proposed', 'proposed'],
        [2, 'piloting', 'pilot started'],
      ]);
      expect(history[1]?.entry).toEqual(piloting);
    });
  });

  describe('accounts, agreements and flow requests', () => {
    it('find accounts only by token hash, list agreements by party, page flows newest first', async () => {
      const r = fx.store.registry;
      const a = await r.insertOrganization(org());
      const b = await r.insertOrganization(org({ jurisdiction: 'HK' }));
      const acct = await fx.store.accounts.insertAccount({
        id: nextId('acct'),
        name: 'alice',
        orgId: a.id,
        role: 'org-admin',
        side: null,
        siteId: null,
        tokenHash: 'e'.repeat(64),
        createdAt: at,
        revokedAt: null,
      });
      expect(await fx.store.accounts.findAccountByTokenHash('e'.repeat(64))).toEqual(acct);
      expect(await fx.store.accounts.findAccountByTokenHash('f'.repeat(64))).toBeNull();
      expect(await code(fx.store.accounts.insertAccount({ ...acct, id: nextId('acct') }))).toBe(
        'HETAO_STORE_DUPLICATE',
      );
      const bob = await fx.store.accounts.insertAccount({ ...acct, id: nextId('acct'), tokenHash: 'd'.repeat(64) });
      expect(await fx.store.accounts.revokedAmong(['e'.repeat(64), 'd'.repeat(64)])).toEqual([]);
      await fx.store.accounts.revokeAccount(acct.id, at + 5);
      expect((await fx.store.accounts.findAccountByTokenHash('e'.repeat(64)))?.revokedAt).toBe(at + 5);
      const many = [...Array.from({ length: 700 }, (_, i) => i.toString(16).padStart(64, '0')), 'e'.repeat(64)];
      expect(await fx.store.accounts.revokedAmong(many)).toEqual(['e'.repeat(64)]);
      expect(await fx.store.accounts.revokedAmong([bob.tokenHash])).toEqual([]);

      const ag = await r.insertAgreement({
        id: nextId('agr'),
        kind: 'gba-standard-contract',
        exporterOrgId: a.id,
        importerOrgId: b.id,
        dataTypes: ['crm.records'],
        filedAt: at,
        validFrom: at,
        validUntil: null,
        evidenceDigest: 'a'.repeat(64),
        recordedBy: acct.id,
        createdAt: at,
      });
      expect(await r.listAgreements(b.id)).toEqual([ag]);
      expect(await r.listAgreements(nextId('org'))).toEqual([]);

      const flows = [];
      for (let i = 0; i < 3; i++) {
        flows.push(
          await r.insertFlow({
            id: nextId('flow'),
            requesterOrgId: a.id,
            exporterOrgId: a.id,
            importerOrgId: b.id,
            datasetId: nextId('ds'),
            scenarioId: null,
            purpose: 'training',
            outcome: i === 1 ? 'deny' : 'allow',
            permitted: i !== 1,
            decision: { decision: i === 1 ? 'deny' : 'allow', i },
            ledgerIndex: i === 0 ? 7 : null,
            at: at + i,
          }),
        );
      }
      const p1 = await r.listFlows({ orgId: b.id }, { limit: 2 });
      expect(p1.items.map((f) => f.id)).toEqual([flows[2]!.id, flows[1]!.id]);
      const p2 = await r.listFlows({ orgId: b.id }, { limit: 2, after: p1.next });
      expect(p2.items).toEqual([flows[0]]);
      expect((await r.listFlows({ orgId: nextId('org') })).items).toEqual([]);
      // counts by decision, under the same filters as the listing
      const none = { allow: 0, 'allow-with-conditions': 0, 'requires-approval': 0, deny: 0 };
      expect(await r.countFlows({ orgId: b.id })).toEqual({ ...none, allow: 2, deny: 1 });
      expect(await r.countFlows({ orgId: a.id, since: at + 1 })).toEqual({ ...none, allow: 1, deny: 1 });
      expect(await r.countFlows({ since: at + 3 })).toEqual(none);
      expect(await r.countFlows({ orgId: nextId('org') })).toEqual(none);

      // A decision with its counts and ledger entry: all three, or (a repeated id) none.
      const decided = { ...(flows[0] as FlowRecord), id: nextId('flow'), ledgerIndex: null, at: at + 10 };
      const bytes = new TextEncoder().encode('{"type":"flow-decision"}');
      const year = 2026;
      const before = await r.getAnnualCounts(a.id, year);
      await r.recordFlow(decided, { year, pi: 500, sensitive: 5 }, bytes);
      expect(await r.getFlow(decided.id)).toEqual(decided);
      expect(await r.getAnnualCounts(a.id, year)).toMatchObject({
        piIndividuals: before.piIndividuals + 500,
        sensitivePiIndividuals: before.sensitivePiIndividuals + 5,
      });
      const staged = await fx.store.ledger.readOutbox(10);
      expect(staged.map((o) => [o.ref, Buffer.from(o.bytes).toString()])).toEqual([
        [flowRef(decided.id), '{"type":"flow-decision"}'],
      ]);
      await expect(r.recordFlow(decided, { year, pi: 1, sensitive: 0 }, bytes)).rejects.toMatchObject({
        code: 'HETAO_STORE_DUPLICATE',
      });
      expect((await r.getAnnualCounts(a.id, year)).piIndividuals).toBe(before.piIndividuals + 500);
      expect(await fx.store.ledger.readOutbox(10)).toHaveLength(1);
    });
  });

  describe('registry changes and their ledger entries', () => {
    // Each entry names the object as the write stored it, so the test sees which version was staged.
    const entryOf =
      (kind: string) =>
      (o: { id?: string; name?: string; version?: number }): Uint8Array =>
        new TextEncoder().encode(`{"kind":"${kind}","id":"${o.id ?? o.name}","v":${o.version ?? 0}}`);
    const staged = async () => (await fx.store.ledger.readOutbox(100)).map((o) => Buffer.from(o.bytes).toString());

    it('stage one entry of the stored object with each write, in its transaction, and none for a refused write', async () => {
      const r = fx.store.registry;
      const a = await r.insertOrganization(org({ gpuShare: 0.6 }), entryOf('org'));
      const b = await r.insertOrganization(org({ jurisdiction: 'HK' }), entryOf('org'));
      const b2 = await r.updateOrganization(b.id, 1, { gpuShare: 0.3 }, at + 1, entryOf('org'));
      const s = await r.insertSite(site(a.id), entryOf('site'));
      const t = await r.insertDataType(dataType(), entryOf('type'));
      const d = await r.insertDataset(dataset(a.id, s.id, t.name), entryOf('dataset'));
      const as = await r.insertAssociation(association(a.id, b.id), entryOf('assoc'));
      const as2 = await r.updateAssociation(as.id, 1, { state: 'confirmed' }, at + 2, entryOf('assoc'));
      const sc = await r.insertScenario(
        {
          id: nextId('scn'),
          name: 'staged-scenario',
          title: 'Staged',
          zone: 'qianhai',
          participants: [{ orgId: a.id, role: 'lead' }],
          version: 1,
          createdAt: at,
          updatedAt: at,
        },
        entryOf('scenario'),
      );
      const sc2 = await r.putParticipant(sc.id, 1, { orgId: b.id, role: 'participant' }, at + 3, entryOf('scenario'));
      const ag = await r.insertAgreement(
        {
          id: nextId('agr'),
          kind: 'gba-standard-contract',
          exporterOrgId: a.id,
          importerOrgId: b.id,
          dataTypes: [t.name],
          filedAt: at,
          validFrom: at,
          validUntil: null,
          evidenceDigest: 'a'.repeat(64),
          recordedBy: 'acct_officer',
          createdAt: at,
        },
        entryOf('agreement'),
      );
      const want = [
        `{"kind":"org","id":"${a.id}","v":1}`,
        `{"kind":"org","id":"${b.id}","v":1}`,
        `{"kind":"org","id":"${b.id}","v":2}`,
        `{"kind":"site","id":"${s.id}","v":1}`,
        `{"kind":"type","id":"${t.name}","v":0}`,
        `{"kind":"dataset","id":"${d.id}","v":1}`,
        `{"kind":"assoc","id":"${as.id}","v":1}`,
        `{"kind":"assoc","id":"${as.id}","v":2}`,
        `{"kind":"scenario","id":"${sc.id}","v":1}`,
        `{"kind":"scenario","id":"${sc.id}","v":2}`,
        `{"kind":"agreement","id":"${ag.id}","v":0}`,
      ];
      expect(await staged()).toEqual(want);
      expect([b2.version, as2.version, sc2.version]).toEqual([2, 2, 2]);

      // Refused: a duplicate, a stale version, shares past 1 (insert and update), a missing reference.
      const refused = await Promise.all([
        code(r.insertOrganization(org({ name: a.name }), entryOf('org'))),
        code(r.updateOrganization(b.id, 1, { isStartup: true }, at + 4, entryOf('org'))),
        code(r.insertOrganization(org({ gpuShare: 0.2 }), entryOf('org'))),
        code(r.updateOrganization(b.id, 2, { gpuShare: 0.5 }, at + 4, entryOf('org'))),
        code(r.insertSite(site(nextId('org')), entryOf('site'))),
        code(r.insertDataType(t, entryOf('type'))),
        code(r.insertDataset(dataset(a.id, s.id, 'no.such-type'), entryOf('dataset'))),
        code(r.updateAssociation(as.id, 1, { state: 'approved' }, at + 4, entryOf('assoc'))),
        code(r.putParticipant(sc.id, 1, { orgId: a.id, role: 'participant' }, at + 4, entryOf('scenario'))),
        code(r.insertAgreement({ ...ag }, entryOf('agreement'))),
      ]);
      expect(refused).toEqual([
        'HETAO_STORE_DUPLICATE',
        'HETAO_STORE_CONFLICT',
        'HETAO_REGISTRY_INVALID',
        'HETAO_REGISTRY_INVALID',
        'HETAO_STORE_REFERENCE',
        'HETAO_STORE_DUPLICATE',
        'HETAO_STORE_REFERENCE',
        'HETAO_STORE_CONFLICT',
        'HETAO_STORE_CONFLICT',
        'HETAO_STORE_DUPLICATE',
      ]);
      expect(await staged()).toEqual(want);
      expect(await r.getOrganization(b.id)).toEqual(b2);
      expect(await r.getAssociation(as.id)).toEqual(as2);
    });

    it('commit no change whose entry cannot be made', async () => {
      const r = fx.store.registry;
      const o = await r.insertOrganization(org());
      const boom = (): Uint8Array => {
        throw new Error('entry refused');
      };
      await expect(r.insertOrganization(org(), boom)).rejects.toThrow('entry refused');
      await expect(r.updateOrganization(o.id, 1, { isCIIO: true }, at + 1, boom)).rejects.toThrow('entry refused');
      expect((await r.listOrganizations()).items).toEqual([o]);
      expect(await staged()).toEqual([]);
    });
  });

  describe('concurrent writers (two connections)', () => {
    it('lose no update: racing optimistic writers retry until each change lands', async () => {
      const other = openStore(fx.target);
      try {
        const s = await fx.store.registry.insertSite(
          site((await fx.store.registry.insertOrganization(org())).id, {
            pricePerGpuHour: 0,
          }),
        );
        const bump = async (st: Store, times: number) => {
          for (let i = 0; i < times; i++) {
            for (;;) {
              const cur = (await st.registry.getSite(s.id))!;
              try {
                await st.registry.updateSite(s.id, cur.version, { pricePerGpuHour: cur.pricePerGpuHour + 1 }, at);
                break;
              } catch (e) {
                if ((e as HetaoError).code !== 'HETAO_STORE_CONFLICT') throw e;
              }
            }
          }
        };
        await Promise.all([bump(fx.store, 25), bump(other, 25)]);
        const final = (await fx.store.registry.getSite(s.id))!;
        expect(final.pricePerGpuHour).toBe(50);
        expect(final.version).toBe(51);
      } finally {
        await other.close();
      }
    });

    it('exactly one of two writers of the same version wins', async () => {
      const other = openStore(fx.target);
      try {
        const o = await fx.store.registry.insertOrganization(org());
        const results = await Promise.allSettled([
          fx.store.registry.updateOrganization(o.id, 1, { isCIIO: true }, at + 1),
          other.registry.updateOrganization(o.id, 1, { isStartup: true }, at + 1),
        ]);
        expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
        const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason.code).toBe('HETAO_STORE_CONFLICT');
        const final = (await fx.store.registry.getOrganization(o.id))!;
        expect(final.version).toBe(2);
        expect(final.isCIIO !== final.isStartup).toBe(true);
      } finally {
        await other.close();
      }
    });

    it('two writers giving two organizations shares that together pass 1: exactly one wins', async () => {
      const other = openStore(fx.target);
      try {
        for (let round = 0; round < 5; round++) {
          const a = await fx.store.registry.insertOrganization(org());
          const b = await fx.store.registry.insertOrganization(org());
          const results = await Promise.allSettled([
            fx.store.registry.updateOrganization(a.id, 1, { gpuShare: 0.6 }, at + 1),
            other.registry.updateOrganization(b.id, 1, { gpuShare: 0.6 }, at + 1),
          ]);
          expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
          const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
          expect(lost.reason.code).toBe('HETAO_REGISTRY_INVALID');
          const shares = [a, b].map(async (o) => (await fx.store.registry.getOrganization(o.id))?.gpuShare);
          expect((await Promise.all(shares)).sort()).toEqual([0, 0.6]);
          // Back to no shares for the next round.
          for (const o of [a, b]) {
            const cur = (await fx.store.registry.getOrganization(o.id))!;
            await fx.store.registry.updateOrganization(o.id, cur.version, { gpuShare: 0 }, at + 2);
          }
        }
      } finally {
        await other.close();
      }
    });

    it('count increments from two connections all land', async () => {
      const other = openStore(fx.target);
      try {
        const o = await fx.store.registry.insertOrganization(org());
        const add = (st: Store) =>
          Promise.all(Array.from({ length: 40 }, () => st.registry.addAnnualCounts(o.id, 2026, 1000, 1)));
        await Promise.all([add(fx.store), add(other)]);
        expect(await fx.store.registry.getAnnualCounts(o.id, 2026)).toEqual({
          orgId: o.id,
          year: 2026,
          piIndividuals: 80_000,
          sensitivePiIndividuals: 80,
        });
        expect((await other.registry.getAnnualCounts(o.id, 2025)).piIndividuals).toBe(0);
      } finally {
        await other.close();
      }
    });
  });
}
