import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Account, AccountStore, Role, Side } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import { DECISIONS, type DecisionOutcome } from '../../policy/index.js';
import {
  type Agreement,
  type AgreementKind,
  type AgreementStore,
  type FlowRecord,
  type FlowStore,
  flowRef,
} from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import { stageLedgerEntries, writeWithEntry } from '../ledger/outbox-rows.js';
import type { AccountsTable, AgreementsTable, Dialect, FlowRequestsTable, Tables } from '../schema.js';
import { writeTransaction } from '../write-transaction.js';
import { upsertAnnualCounts } from './count-queries.js';
import { pageLimit } from './versioned.js';

const accountFromRow = (r: AccountsTable): Account =>
  Object.freeze({
    id: r.id,
    name: r.name,
    orgId: r.org_id,
    role: r.role as Role,
    side: r.side as Side | null,
    siteId: r.site_id,
    tokenHash: r.token_hash,
    createdAt: Number(r.created_at),
    revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
  });

const agreementFromRow = (r: AgreementsTable): Agreement =>
  Object.freeze({
    id: r.id,
    kind: r.kind as AgreementKind,
    exporterOrgId: r.exporter_org_id,
    importerOrgId: r.importer_org_id,
    dataTypes: JSON.parse(r.data_types) as string[],
    filedAt: r.filed_at == null ? null : Number(r.filed_at),
    validFrom: Number(r.valid_from),
    validUntil: r.valid_until == null ? null : Number(r.valid_until),
    evidenceDigest: r.evidence_digest,
    recordedBy: r.recorded_by,
    createdAt: Number(r.created_at),
  });

const flowFromRow = (r: FlowRequestsTable & { ref_index: number | string | null }): FlowRecord =>
  Object.freeze({
    id: r.id,
    requesterOrgId: r.requester_org_id,
    exporterOrgId: r.exporter_org_id,
    importerOrgId: r.importer_org_id,
    datasetId: r.dataset_id,
    scenarioId: r.scenario_id,
    purpose: r.purpose,
    outcome: r.outcome,
    permitted: r.permitted === 1,
    decision: JSON.parse(r.decision),
    ledgerIndex: r.ref_index != null ? Number(r.ref_index) : r.ledger_index != null ? Number(r.ledger_index) : null,
    at: Number(r.at),
  });

export function accountQueries(db: Kysely<Tables>): AccountStore {
  return {
    async insertAccount(a) {
      await guarded('account', () =>
        db
          .insertInto('accounts')
          .values({
            id: a.id,
            name: a.name,
            org_id: a.orgId,
            role: a.role,
            side: a.side,
            site_id: a.siteId,
            token_hash: a.tokenHash,
            created_at: a.createdAt,
            revoked_at: a.revokedAt,
          })
          .execute(),
      );
      return a;
    },
    async findAccountByTokenHash(hash) {
      const r = await db.selectFrom('accounts').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return r ? accountFromRow(r) : null;
    },
    async listAccounts(orgId) {
      let q = db.selectFrom('accounts').selectAll().orderBy('id');
      if (orgId) q = q.where('org_id', '=', orgId);
      return (await q.execute()).map(accountFromRow);
    },
    async revokedAmong(hashes) {
      const out: string[] = [];
      for (let i = 0; i < hashes.length; i += 500) {
        const rows = await db
          .selectFrom('accounts')
          .select('token_hash')
          .where('token_hash', 'in', hashes.slice(i, i + 500))
          .where('revoked_at', 'is not', null)
          .execute();
        for (const r of rows) out.push(r.token_hash);
      }
      return out;
    },
    async revokeAccount(id, at) {
      const r = await db.updateTable('accounts').set({ revoked_at: at }).where('id', '=', id).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw new HetaoError('HETAO_STORE_NOT_FOUND', `account ${id} does not exist`);
    },
  };
}

const flowRow = (f: FlowRecord) => ({
  id: f.id,
  requester_org_id: f.requesterOrgId,
  exporter_org_id: f.exporterOrgId,
  importer_org_id: f.importerOrgId,
  dataset_id: f.datasetId,
  scenario_id: f.scenarioId,
  purpose: f.purpose,
  outcome: f.outcome,
  permitted: f.permitted ? 1 : 0,
  decision: JSON.stringify(f.decision),
  ledger_index: f.ledgerIndex,
  at: f.at,
});

export function agreementQueries(db: Kysely<Tables>, dialect: Dialect): AgreementStore & FlowStore {
  return {
    insertAgreement(a, ledgerEntry) {
      return guarded('agreement', () =>
        writeWithEntry(db, dialect, a.createdAt, ledgerEntry, async (q) => {
          await q
            .insertInto('agreements')
            .values({
              id: a.id,
              kind: a.kind,
              exporter_org_id: a.exporterOrgId,
              importer_org_id: a.importerOrgId,
              data_types: JSON.stringify(a.dataTypes),
              filed_at: a.filedAt,
              valid_from: a.validFrom,
              valid_until: a.validUntil,
              evidence_digest: a.evidenceDigest,
              recorded_by: a.recordedBy,
              created_at: a.createdAt,
            })
            .execute();
          return a;
        }),
      );
    },
    async getAgreement(id) {
      const r = await db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? agreementFromRow(r) : null;
    },
    async listAgreements(orgId) {
      let q = db.selectFrom('agreements').selectAll().orderBy('id');
      if (orgId) q = q.where((eb) => eb.or([eb('exporter_org_id', '=', orgId), eb('importer_org_id', '=', orgId)]));
      return (await q.execute()).map(agreementFromRow);
    },
    async insertFlow(f) {
      await guarded('flow request', () => db.insertInto('flow_requests').values(flowRow(f)).execute());
      return f;
    },
    async recordFlow(f, counts, entry) {
      await guarded('flow request', () =>
        writeTransaction(db, dialect, async (tx) => {
          await tx.insertInto('flow_requests').values(flowRow(f)).execute();
          if (counts) await upsertAnnualCounts(tx, f.exporterOrgId, counts.year, counts.pi, counts.sensitive);
          await stageLedgerEntries(tx, [entry], f.at, flowRef(f.id));
        }),
      );
      return f;
    },
    async getFlow(id) {
      const r = await flowsWithIndex(db).where('id', '=', id).executeTakeFirst();
      return r ? flowFromRow(r) : null;
    },
    async listFlows(filter, page) {
      const limit = pageLimit(page);
      let q = flowsMatching(flowsWithIndex(db), filter)
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (page?.after) q = q.where('id', '<', page.after);
      const rows = (await q.execute()).map(flowFromRow);
      if (rows.length <= limit) return { items: rows, next: null };
      const items = rows.slice(0, limit);
      return { items, next: items[items.length - 1]?.id ?? null };
    },
    async countFlows(filter) {
      const rows = await flowsMatching(
        db.selectFrom('flow_requests').select(['outcome', sql<number>`COUNT(*)`.as('n')]),
        filter,
      )
        .groupBy('outcome')
        .execute();
      const counts = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<DecisionOutcome, number>;
      for (const r of rows) counts[r.outcome as DecisionOutcome] = Number(r.n);
      return counts;
    },
  };
}

/**
 * Flow rows with the log index of their entry: recorded under the flow's ref by the commit that appended it
 * (ledger_refs); `ledger_index` holds it for flows recorded before that table.
 */
function flowsWithIndex(db: Kysely<Tables>) {
  return db
    .selectFrom('flow_requests')
    .selectAll()
    .select(
      sql<
        number | string | null
      >`(SELECT r.idx FROM ledger_refs r WHERE r.ref = ${flowRef('')} || flow_requests.id)`.as('ref_index'),
    );
}

/** The flows an organization requested or is party to, since a time: what listFlows and countFlows share. */
function flowsMatching<Q extends SelectQueryBuilder<Tables, 'flow_requests', object>>(
  q: Q,
  filter: { orgId?: string; since?: number },
): Q {
  let out = q;
  if (filter.orgId) {
    const o = filter.orgId;
    out = out.where((eb) =>
      eb.or([eb('requester_org_id', '=', o), eb('exporter_org_id', '=', o), eb('importer_org_id', '=', o)]),
    ) as Q;
  }
  if (filter.since !== undefined) out = out.where('at', '>=', filter.since) as Q;
  return out;
}
