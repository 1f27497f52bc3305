export { SqlLedgerStore } from './sql-ledger-store.js';
export { SqlWitnessStateStore } from './sql-witness-state-store.js';
