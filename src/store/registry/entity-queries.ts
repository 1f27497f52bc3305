import { type Kysely, sql } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type {
  AssociationStore,
  DatasetStore,
  DataTypeStore,
  Organization,
  OrganizationStore,
  SiteStore,
} from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import { writeWithEntry } from '../ledger/outbox-rows.js';
import type { Dialect, Tables } from '../schema.js';
import {
  assocFromRow,
  assocToRow,
  datasetFromRow,
  datasetToRow,
  dataTypeFromRow,
  dataTypeToRow,
  orgFromRow,
  orgToRow,
  siteFromRow,
  siteToRow,
} from './rows.js';
import { pageLimit, toPage, updateVersioned } from './versioned.js';

type Entities = OrganizationStore & AssociationStore & SiteStore & DataTypeStore & DatasetStore;

// An arbitrary constant: the PostgreSQL advisory lock key that serialises changes to organizations' GPU shares.
const SHARES_LOCK_KEY = 480_310_027;
const SHARE_LIMIT = 1 + 1e-9;

/** True when `share` for `orgId` (null: a new organization) keeps all organizations' shares within 1. */
const sharesFit = (orgId: string | null, share: number) =>
  sql<boolean>`(SELECT COALESCE(SUM(s.gpu_share), 0) FROM organizations s${
    orgId === null ? sql`` : sql` WHERE s.id <> ${orgId}`
  }) + ${share} <= ${SHARE_LIMIT}`;

async function sharesError(q: Kysely<Tables>, orgId: string | null, share: number): Promise<HetaoError> {
  let s = q.selectFrom('organizations').select((eb) => eb.fn.sum<number | string | null>('gpu_share').as('total'));
  if (orgId !== null) s = s.where('id', '<>', orgId);
  const others = Number((await s.executeTakeFirst())?.total ?? 0);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return new HetaoError(
    'HETAO_REGISTRY_INVALID',
    `gpuShare ${share} would bring the organizations' GPU shares to ${r(others + share)}; together they may be at most 1 (the others hold ${r(others)})`,
    { field: 'gpuShare' },
  );
}

/**
 * Serialises writes that must keep all GPU shares within 1. Their statements check the sum inside themselves (one
 * statement is atomic on SQLite, which has a single writer); on PostgreSQL the write's transaction `tx` first takes
 * an advisory lock, so two such writes cannot both read the old sum.
 */
async function lockShares(tx: Kysely<Tables>, dialect: Dialect): Promise<void> {
  if (locksShares(dialect, true)) await sql`SELECT pg_advisory_xact_lock(${SHARES_LOCK_KEY})`.execute(tx);
}

/** Whether a write that does (`changesShares`) or does not change a share takes the lock, and so a transaction. */
const locksShares = (dialect: Dialect, changesShares: boolean): boolean => changesShares && dialect === 'postgres';

/** Inserts an organization whose share is above 0, only if all shares stay within 1. */
async function insertWithShare(q: Kysely<Tables>, org: Organization): Promise<void> {
  const row = orgToRow(org);
  const cols = Object.keys(row) as Array<keyof typeof row>;
  const values = sql.join(cols.map((c) => sql`${row[c]}`));
  const res =
    await sql`INSERT INTO organizations (${sql.join(cols.map((c) => sql.ref(c)))}) SELECT ${values} WHERE ${sharesFit(null, org.gpuShare)}`.execute(
      q,
    );
  if (Number(res.numAffectedRows ?? 0) !== 1) throw await sharesError(q, null, org.gpuShare);
}

export function entityQueries(db: Kysely<Tables>, dialect: Dialect): Entities {
  return {
    insertOrganization(org, ledgerEntry) {
      return guarded('organization', () =>
        writeWithEntry(
          db,
          dialect,
          org.updatedAt,
          ledgerEntry,
          async (q) => {
            if (org.gpuShare <= 0) await q.insertInto('organizations').values(orgToRow(org)).execute();
            else {
              await lockShares(q, dialect);
              await insertWithShare(q, org);
            }
            return org;
          },
          !locksShares(dialect, org.gpuShare > 0),
        ),
      );
    },
    async getOrganization(id) {
      const r = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? orgFromRow(r) : null;
    },
    async listOrganizations(page) {
      const limit = pageLimit(page);
      let q = db
        .selectFrom('organizations')
        .selectAll()
        .orderBy('id')
        .limit(limit + 1);
      if (page?.after) q = q.where('id', '>', page.after);
      return toPage((await q.execute()).map(orgFromRow), limit);
    },
    updateOrganization(id, expectedVersion, patch, at, ledgerEntry) {
      const rows = { from: orgFromRow, to: orgToRow };
      const share = patch.gpuShare;
      return guarded('organization', () =>
        writeWithEntry(
          db,
          dialect,
          at,
          ledgerEntry,
          async (q) => {
            if (share === undefined)
              return updateVersioned(q, 'organizations', 'organization', id, expectedVersion, patch, at, rows);
            await lockShares(q, dialect);
            return updateVersioned(q, 'organizations', 'organization', id, expectedVersion, patch, at, rows, {
              holds: sharesFit(id, share),
              refused: () => sharesError(q, id, share),
            });
          },
          !locksShares(dialect, share !== undefined),
        ),
      );
    },

    insertAssociation(a, ledgerEntry) {
      return guarded('association', () =>
        writeWithEntry(db, dialect, a.updatedAt, ledgerEntry, async (q) => {
          await q.insertInto('associations').values(assocToRow(a)).execute();
          return a;
        }),
      );
    },
    async getAssociation(id) {
      const r = await db.selectFrom('associations').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? assocFromRow(r) : null;
    },
    async listAssociationsOf(orgId) {
      const rows = await db
        .selectFrom('associations')
        .selectAll()
        .where((eb) => eb.or([eb('org_a', '=', orgId), eb('org_b', '=', orgId)]))
        .orderBy('id')
        .execute();
      return rows.map(assocFromRow);
    },
    async listAllAssociations() {
      return (await db.selectFrom('associations').selectAll().orderBy('id').execute()).map(assocFromRow);
    },
    updateAssociation(id, expectedVersion, patch, at, ledgerEntry) {
      return writeWithEntry(db, dialect, at, ledgerEntry, (q) =>
        updateVersioned(q, 'associations', 'association', id, expectedVersion, patch, at, {
          from: assocFromRow,
          to: assocToRow,
        }),
      );
    },

    insertSite(site, ledgerEntry) {
      return guarded('site', () =>
        writeWithEntry(db, dialect, site.updatedAt, ledgerEntry, async (q) => {
          await q.insertInto('sites').values(siteToRow(site)).execute();
          return site;
        }),
      );
    },
    async getSite(id) {
      const r = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? siteFromRow(r) : null;
    },
    async listSites(page) {
      const limit = pageLimit(page);
      let q = db
        .selectFrom('sites')
        .selectAll()
        .orderBy('id')
        .limit(limit + 1);
      if (page?.after) q = q.where('id', '>', page.after);
      return toPage((await q.execute()).map(siteFromRow), limit);
    },
    updateSite(id, expectedVersion, patch, at) {
      return updateVersioned(db, 'sites', 'site', id, expectedVersion, patch, at, { from: siteFromRow, to: siteToRow });
    },

    insertDataType(t, ledgerEntry) {
      return guarded('data type', () =>
        writeWithEntry(db, dialect, t.createdAt, ledgerEntry, async (q) => {
          await q.insertInto('data_types').values(dataTypeToRow(t)).execute();
          return t;
        }),
      );
    },
    async getDataType(name) {
      const r = await db.selectFrom('data_types').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? dataTypeFromRow(r) : null;
    },
    async listDataTypes() {
      return (await db.selectFrom('data_types').selectAll().orderBy('name').execute()).map(dataTypeFromRow);
    },

    insertDataset(d, ledgerEntry) {
      return guarded('dataset', () =>
        writeWithEntry(db, dialect, d.updatedAt, ledgerEntry, async (q) => {
          await q.insertInto('datasets').values(datasetToRow(d)).execute();
          return d;
        }),
      );
    },
    async getDataset(id) {
      const r = await db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? datasetFromRow(r) : null;
    },
    async listDatasets(filter, page) {
      const limit = pageLimit(page);
      let q = db
        .selectFrom('datasets')
        .selectAll()
        .orderBy('id')
        .limit(limit + 1);
      if (filter.ownerOrgId) q = q.where('owner_org_id', '=', filter.ownerOrgId);
      if (page?.after) q = q.where('id', '>', page.after);
      return toPage((await q.execute()).map(datasetFromRow), limit);
    },
    updateDataset(id, expectedVersion, patch, at) {
      return updateVersioned(db, 'datasets', 'dataset', id, expectedVersion, patch, at, {
        from: datasetFromRow,
        to: datasetToRow,
      });
    },
  };
}
