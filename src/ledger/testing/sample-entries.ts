import { createIdGenerator } from '../../core/index.js';
import type { LedgerEntry } from '../entry-types.js';

/** Deterministic, valid entries of every type, for tests and benchmarks. */
export function sampleEntries(count: number, seed = 1): LedgerEntry[] {
  let x = seed;
  const ids = createIdGenerator(
    () => 1_767_225_600_000,
    (b) => {
      for (let i = 0; i < b.length; i++) {
        x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
        b[i] = x & 0xff;
      }
    },
  );
  const digest = (i: number) => `sha256:${(i.toString(16).padStart(8, '0')).repeat(8)}`;
  const out: LedgerEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 1_767_225_600_000 + i;
    switch (i % 7) {
      case 0:
        out.push({
          type: 'flow-decision',
          v: 1,
          decisionId: ids.next('dec'),
          at,
          exporterOrgId: ids.next('org'),
          importerOrgId: ids.next('org'),
          from: 'SZ',
          to: 'HK',
          dataType: 'logistics.shipment-status',
          classification: 'general',
          outcome: 'allow',
          channel: 'general-data-list',
          ruleId: 'gdl-qianhai',
          rulebookVersion: '2026.1',
          contextDigest: digest(i),
        });
        break;
      case 1:
        out.push({
          type: 'list-change',
          v: 1,
          changeId: ids.next('chg'),
          at,
          scenario: 'cross-border-logistics',
          dataType: 'logistics.shipment-status',
          action: 'list',
          listVersion: '3',
          documentDigest: digest(i),
        });
        break;
      case 2:
        out.push({
          type: 'association-change',
          v: 1,
          changeId: ids.next('chg'),
          at,
          orgId: ids.next('org'),
          relatedOrgId: ids.next('org'),
          action: 'associate',
        });
        break;
      case 3:
        out.push({
          type: 'job-placement',
          v: 1,
          jobId: ids.next('job'),
          at,
          orgId: ids.next('org'),
          siteId: ids.next('site'),
          reason: 'best-fit',
        });
        break;
      case 4:
        out.push({ type: 'job-state-change', v: 1, jobId: ids.next('job'), at, from: 'queued', to: 'running' });
        break;
      case 5:
        out.push({
          type: 'registry-change',
          v: 1,
          changeId: ids.next('chg'),
          at,
          actorOrgId: ids.next('org'),
          object: 'data-type',
          objectId: 'logistics.shipment-status',
          action: 'create',
          objectDigest: digest(i).slice(7),
        });
        break;
      default:
        out.push({
          type: 'transfer',
          v: 1,
          transferId: ids.next('xfer'),
          at,
          datasetId: ids.next('ds'),
          fromSiteId: ids.next('site'),
          toSiteId: ids.next('site'),
          decisionId: ids.next('dec'),
          contentDigest: digest(i),
          bytes: 1024 * i,
        });
    }
  }
  return out;
}
