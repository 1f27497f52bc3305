import { describe, expect, it } from 'vitest';
import { jobConformance } from './conformance/job-conformance.js';
import { ledgerConformance } from './conformance/ledger-conformance.js';
import { migrationConformance } from './conformance/migration-conformance.js';
import { processConformance } from './conformance/process-conformance.js';
import { registryConformance } from './conformance/registry-conformance.js';
import { mustHavePostgres, postgresTarget, skipNotice, sqliteTarget } from './testing/targets.js';

/** One conformance suite, the same cases on every database. The output names each run. */
for (const target of [sqliteTarget, await postgresTarget()]) {
  describe(`store conformance [${target.name}]`, () => {
    if (target.unavailable) {
      if (mustHavePostgres) {
        it('has a PostgreSQL to run against (CI=true requires it)', () => {
          expect.fail(`${target.unavailable}; scripts/services-up.sh should have started it`);
        });
      } else {
        console.warn(skipNotice(target.unavailable));
        it.skip(skipNotice(target.unavailable), () => {});
      }
      return;
    }
    migrationConformance(target);
    registryConformance(target);
    ledgerConformance(target);
    jobConformance(target);
    processConformance(target);
  });
}
