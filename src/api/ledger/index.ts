export { type LedgerRouteDeps, ledgerRoutes } from './routes.js';
