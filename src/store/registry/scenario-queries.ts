import type { Kysely } from 'kysely';
import { HetaoError } from '../../core/index.js';
import type { Zone } from '../../policy/types.js';
import type { Scenario, ScenarioStore } from '../../registry/index.js';
import { guarded } from '../driver-errors.js';
import { writeWithEntry } from '../ledger/outbox-rows.js';
import type { Dialect, ScenariosTable, Tables } from '../schema.js';
import { participantFromRow } from './rows.js';

async function hydrate(db: Kysely<Tables>, r: ScenariosTable): Promise<Scenario> {
  const ps = await db
    .selectFrom('scenario_participants')
    .select(['org_id', 'role'])
    .where('scenario_id', '=', r.id)
    .orderBy('org_id')
    .execute();
  return Object.freeze({
    id: r.id,
    name: r.name,
    title: r.title,
    zone: r.zone as Zone | null,
    participants: ps.map(participantFromRow),
    version: r.version,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  });
}

export function scenarioQueries(db: Kysely<Tables>, dialect: Dialect): ScenarioStore {
  return {
    insertScenario(s, ledgerEntry) {
      return guarded('scenario', () =>
        writeWithEntry(
          db,
          dialect,
          s.updatedAt,
          ledgerEntry,
          async (tx) => {
            await tx
              .insertInto('scenarios')
              .values({
                id: s.id,
                name: s.name,
                title: s.title,
                zone: s.zone,
                version: s.version,
                created_at: s.createdAt,
                updated_at: s.updatedAt,
              })
              .execute();
            for (const p of s.participants) {
              await tx
                .insertInto('scenario_participants')
                .values({ scenario_id: s.id, org_id: p.orgId, role: p.role })
                .execute();
            }
            return s;
          },
          false,
        ),
      );
    },
    async getScenario(id) {
      const r = await db.selectFrom('scenarios').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? hydrate(db, r) : null;
    },
    async getScenarioByName(name) {
      const r = await db.selectFrom('scenarios').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? hydrate(db, r) : null;
    },
    async listScenarios() {
      const rows = await db.selectFrom('scenarios').selectAll().orderBy('id').execute();
      return Promise.all(rows.map((r) => hydrate(db, r)));
    },
    putParticipant(scenarioId, expectedVersion, p, at, ledgerEntry) {
      return guarded('scenario participant', () =>
        writeWithEntry(
          db,
          dialect,
          at,
          ledgerEntry,
          async (tx) => {
            const res = await tx
              .updateTable('scenarios')
              .set({ version: expectedVersion + 1, updated_at: at })
              .where('id', '=', scenarioId)
              .where('version', '=', expectedVersion)
              .executeTakeFirst();
            if (Number(res.numUpdatedRows) !== 1) {
              const exists = await tx
                .selectFrom('scenarios')
                .select('id')
                .where('id', '=', scenarioId)
                .executeTakeFirst();
              throw exists
                ? new HetaoError(
                    'HETAO_STORE_CONFLICT',
                    `scenario ${scenarioId} changed since version ${expectedVersion}`,
                    {
                      field: 'version',
                    },
                  )
                : new HetaoError('HETAO_STORE_NOT_FOUND', `scenario ${scenarioId} does not exist`, { field: 'id' });
            }
            await tx
              .insertInto('scenario_participants')
              .values({ scenario_id: scenarioId, org_id: p.orgId, role: p.role })
              .onConflict((oc) => oc.columns(['scenario_id', 'org_id']).doUpdateSet({ role: p.role }))
              .execute();
            const r = await tx
              .selectFrom('scenarios')
              .selectAll()
              .where('id', '=', scenarioId)
              .executeTakeFirstOrThrow();
            return hydrate(tx, r);
          },
          false,
        ),
      );
    },
  };
}
