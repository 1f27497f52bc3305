/**
 * Crash-test child (run as `node --import tsx outbox-crash-child.ts <db> <home> <n>`): an exchange's job side over
 * a SQLite store and the ledger runtime, submitting jobs 32 at a time and printing `ack <jobId>` as each
 * submission resolves. Right after the store commits its n-th job it kills itself with SIGKILL: that job, and
 * others in flight, are committed while their ledger entries are not in the log yet.
 */
import { openLedgerRuntime } from '../../src/app/ledger-runtime.js';
import { createIdGenerator, systemClock } from '../../src/core/index.js';
import { JobCoordinator } from '../../src/exchange/index.js';
import { createFlowDecider } from '../../src/policy/index.js';
import { org } from '../../src/registry/testing/factories.js';
import { parseJobSpec } from '../../src/scheduler/job-spec.js';
import { openStore } from '../../src/store/index.js';

const [db, home, n] = process.argv.slice(2) as [string, string, string];
const store = openStore({ kind: 'sqlite', path: db });
let committed = 0;
const insertJob = store.jobs.insertJob.bind(store.jobs);
store.jobs.insertJob = async (...args) => {
  const job = await insertJob(...args);
  if (++committed === Number(n)) process.kill(process.pid, 'SIGKILL');
  return job;
};
await store.migrate(systemClock.now());
const ids = createIdGenerator(() => systemClock.now());
const ORG = 'org_OUTBOXCRASH';
if (!(await store.registry.getOrganization(ORG)))
  await store.registry.insertOrganization(org({ id: ORG, name: 'Crash Lab', createdAt: 0, updatedAt: 0 }));
const ledger = await openLedgerRuntime({ store, home, clock: systemClock });
const coordinator = new JobCoordinator({
  registry: store.registry,
  jobs: store.jobs,
  clock: systemClock,
  ids,
  decide: createFlowDecider(),
  flushLedger: ledger.flush,
});
const actor = {
  accountId: 'acct_CRASH',
  name: 'crash',
  orgId: ORG,
  role: 'org-member',
  side: null,
  siteId: null,
} as const;
const spec = parseJobSpec({ name: 'crash', run: 'true' });

function one(): void {
  coordinator.submit(actor, spec).then(
    (job) => {
      process.stdout.write(`ack ${job.id}\n`);
      one();
    },
    (err) => {
      process.stderr.write(`submit failed: ${err}\n`);
      process.exit(3);
    },
  );
}
for (let i = 0; i < 32; i++) one();
