/**
 * Import boundaries (ARCHITECTURE.md): core <- {policy, ledger} <- registry <- scheduler <- sites <- app -> {store, api, cli}.
 * Domain folders never touch I/O modules or drivers; only app/ knows concrete adapters.
 */
const DOMAIN = '^src/(core|access|registry|policy|ledger|scheduler|exchange)/';
const IO = '^(node:)?(fs|fs/promises|child_process|http|https|net|dgram|worker_threads|cluster)$';
const DRIVERS = '^(better-sqlite3|pg|kysely|fastify|@fastify/.*|pino|commander)$';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-imports-nothing',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/', pathNot: '^src/core/' },
    },
    {
      name: 'policy-and-ledger-import-core-only',
      severity: 'error',
      from: { path: '^src/(policy|ledger)/' },
      to: { path: '^src/', pathNot: ['^src/core/', '^src/$1/'] },
    },
    {
      name: 'registry-imports-core-and-policy',
      severity: 'error',
      from: { path: '^src/registry/' },
      to: { path: '^src/', pathNot: '^src/(core|policy|ledger|registry)/' },
    },
    {
      name: 'access-imports-core-and-policy-types',
      severity: 'error',
      from: { path: '^src/access/' },
      to: { path: '^src/', pathNot: '^src/(core|policy|access)/' },
    },
    {
      name: 'scheduler-imports-domain-below',
      severity: 'error',
      from: { path: '^src/scheduler/' },
      to: { path: '^src/', pathNot: '^src/(core|registry|policy|ledger|scheduler)/' },
    },
    {
      name: 'sites-imports-domain-below',
      severity: 'error',
      from: { path: '^src/sites/' },
      to: { path: '^src/', pathNot: '^src/(core|registry|policy|ledger|scheduler|sites)/' },
    },
    {
      name: 'exchange-services-import-domain-only',
      severity: 'error',
      from: { path: '^src/exchange/' },
      to: { path: '^src/', pathNot: '^src/(core|access|registry|policy|ledger|scheduler|exchange)/' },
    },
    {
      name: 'adapters-do-not-import-each-other-or-app',
      severity: 'error',
      from: { path: '^src/(store|api|cli)/', pathNot: ['\\.test\\.ts$', '/testing/'] },
      to: { path: '^src/(app)/' },
    },
    {
      name: 'store-not-from-api-or-cli',
      severity: 'error',
      from: { path: '^src/(api|cli)/', pathNot: ['\\.test\\.ts$', '/testing/'] },
      to: { path: '^src/store/' },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      from: { path: DOMAIN, pathNot: '\\.test\\.ts$' },
      to: { path: IO },
    },
    {
      name: 'domain-knows-no-drivers',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: DRIVERS },
    },
    {
      name: 'only-sites-executors-and-app-spawn',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/sites/executors/', '^src/app/', '\\.test\\.ts$', '/testing/'] },
      to: { path: '^(node:)?child_process$' },
    },
    {
      name: 'web-imports-no-server-code',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '^src/api/contract' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
