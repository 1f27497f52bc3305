import type { Kysely } from 'kysely';
import type { AnnualCountStore, AnnualCounts } from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import type { AnnualCountsTable, Tables } from '../schema.js';

const fromRow = (r: AnnualCountsTable): AnnualCounts => ({
  orgId: r.org_id,
  year: Number(r.year),
  piIndividuals: Number(r.pi_individuals),
  sensitivePiIndividuals: Number(r.sensitive_pi_individuals),
});

/**
 * Adds to an exporter's totals for the year in one upsert statement: atomic under concurrent writers in both
 * databases, no read-modify-write. `db` may be a transaction.
 */
export async function upsertAnnualCounts(
  db: Kysely<Tables>,
  orgId: string,
  year: number,
  pi: number,
  sensitive: number,
): Promise<AnnualCounts> {
  const row = await guarded('annual counts', () =>
    db
      .insertInto('annual_counts')
      .values({ org_id: orgId, year, pi_individuals: pi, sensitive_pi_individuals: sensitive })
      .onConflict((oc) =>
        oc.columns(['org_id', 'year']).doUpdateSet((eb) => ({
          pi_individuals: eb('annual_counts.pi_individuals', '+', eb.ref('excluded.pi_individuals')),
          sensitive_pi_individuals: eb(
            'annual_counts.sensitive_pi_individuals',
            '+',
            eb.ref('excluded.sensitive_pi_individuals'),
          ),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return fromRow(row);
}

export function countQueries(db: Kysely<Tables>): AnnualCountStore {
  return {
    addAnnualCounts: (orgId, year, pi, sensitive) => upsertAnnualCounts(db, orgId, year, pi, sensitive),
    async getAnnualCounts(orgId, year) {
      const r = await db
        .selectFrom('annual_counts')
        .selectAll()
        .where('org_id', '=', orgId)
        .where('year', '=', year)
        .executeTakeFirst();
      return r ? fromRow(r) : { orgId, year, piIndividuals: 0, sensitivePiIndividuals: 0 };
    },
  };
}
