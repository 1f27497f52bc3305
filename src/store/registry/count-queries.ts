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

export function countQueries(db: Kysely<Tables>): AnnualCountStore {
  return {
    // One upsert statement: atomic under concurrent writers in both databases, no read-modify-write.
    async addAnnualCounts(orgId, year, pi, sensitive) {
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
    },
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
