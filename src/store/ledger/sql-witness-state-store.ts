import type { Kysely } from 'kysely';
import type { WitnessState, WitnessStateStore } from '../../ledger/index.js';
import type { Tables } from '../schema.js';
import { asBuffer } from './bytes.js';

/**
 * The WitnessStateStore port over Kysely: one row per (witness, origin), so several witnesses can share a
 * database (the exchange's embedded demo witnesses do). Each compare-and-swap is ONE statement — an INSERT … ON
 * CONFLICT DO NOTHING for the first state, else an UPDATE guarded by the expected size and root hash — atomic on
 * both databases and across processes, and durable when it returns (autocommit).
 */
export class SqlWitnessStateStore implements WitnessStateStore {
  readonly #db: Kysely<Tables>;
  readonly #witness: string;

  constructor(db: Kysely<Tables>, witness: string) {
    this.#db = db;
    this.#witness = witness;
  }

  async get(origin: string): Promise<WitnessState | undefined> {
    const row = await this.#db
      .selectFrom('witness_state')
      .select(['size', 'root_hash'])
      .where('witness', '=', this.#witness)
      .where('origin', '=', origin)
      .executeTakeFirst();
    return row === undefined ? undefined : { size: Number(row.size), rootHash: row.root_hash };
  }

  async compareAndSwap(origin: string, expected: WitnessState | undefined, next: WitnessState): Promise<boolean> {
    if (expected === undefined) {
      const r = await this.#db
        .insertInto('witness_state')
        .values({ witness: this.#witness, origin, size: next.size, root_hash: asBuffer(next.rootHash) })
        .onConflict((oc) => oc.columns(['witness', 'origin']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const r = await this.#db
      .updateTable('witness_state')
      .set({ size: next.size, root_hash: asBuffer(next.rootHash) })
      .where('witness', '=', this.#witness)
      .where('origin', '=', origin)
      .where('size', '=', expected.size)
      .where('root_hash', '=', asBuffer(expected.rootHash))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
