import type { Kysely } from 'kysely';
import type {
  AssociationStore,
  DatasetStore,
  DataTypeStore,
  OrganizationStore,
  SiteStore,
} from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import type { Tables } from '../schema.js';
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

export function entityQueries(db: Kysely<Tables>): Entities {
  return {
    async insertOrganization(org) {
      await guarded('organization', () => db.insertInto('organizations').values(orgToRow(org)).execute());
      return org;
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
    updateOrganization(id, expectedVersion, patch, at) {
      return updateVersioned(db, 'organizations', 'organization', id, expectedVersion, patch, at, {
        from: orgFromRow,
        to: orgToRow,
      });
    },

    async insertAssociation(a) {
      await guarded('association', () => db.insertInto('associations').values(assocToRow(a)).execute());
      return a;
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
    updateAssociation(id, expectedVersion, patch, at) {
      return updateVersioned(db, 'associations', 'association', id, expectedVersion, patch, at, {
        from: assocFromRow,
        to: assocToRow,
      });
    },

    async insertSite(site) {
      await guarded('site', () => db.insertInto('sites').values(siteToRow(site)).execute());
      return site;
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

    async insertDataType(t) {
      await guarded('data type', () => db.insertInto('data_types').values(dataTypeToRow(t)).execute());
      return t;
    },
    async getDataType(name) {
      const r = await db.selectFrom('data_types').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? dataTypeFromRow(r) : null;
    },
    async listDataTypes() {
      return (await db.selectFrom('data_types').selectAll().orderBy('name').execute()).map(dataTypeFromRow);
    },

    async insertDataset(d) {
      await guarded('dataset', () => db.insertInto('datasets').values(datasetToRow(d)).execute());
      return d;
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
