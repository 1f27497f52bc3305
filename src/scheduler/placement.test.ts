import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataset, facts, org, site, testDecider } from '../../test/fixtures/scheduler/rulebook-decider.js';
import type { Jurisdiction } from '../policy/types.js';
import { placeJob } from './placement.js';
import type { PlacementRequest } from './placement-facts.js';
import { HK_AI_SUBSIDY_SCHEME, SZ_COMPUTE_VOUCHERS } from './subsidy.js';

const NOW = Date.UTC(2026, 2, 1);
const req = (over: Partial<PlacementRequest> = {}): PlacementRequest => ({
  jobId: 'job_1',
  org: 'sz-logistics',
  gpus: 2,
  gpuTypes: [],
  datasets: [],
  timeLimit: 3600_000,
  ...over,
});

describe('placeJob', () => {
  it('keeps important data in the Mainland and says why Cyberport was not chosen (rule 4)', () => {
    const f = facts({
      sites: [site('qh', 'Qianhai', 'SZ', { A100: [8, 0] }), site('cp', 'Cyberport', 'HK', { A100: [8, 8] })],
    });
    const p = placeJob(req({ datasets: ['customs-manifests'] }), f, testDecider, NOW);
    expect(p.siteId).toBe('qh');
    expect(p.explanation).toMatch(/^Chosen Qianhai/);
    expect(p.explanation).toContain('Cyberport: dataset customs-manifests may not move from SZ to HK');
    expect(p.explanation).toContain('is important data and may not leave the Mainland');
    expect(p.explanation).toContain('(rule 4)');
  });

  it('lets important data move with a recorded security assessment covering the parties and type', () => {
    const approvals = [
      {
        id: 'sa-1',
        kind: 'security-assessment' as const,
        exporterOrg: 'sz-logistics',
        importerOrg: 'hk-ai',
        dataTypes: ['test.customs-manifests'],
        validUntil: null,
      },
    ];
    const f = facts({
      approvals,
      sites: [site('qh', 'Qianhai', 'SZ', { A100: [8, 0] }), site('cp', 'Cyberport', 'HK', { A100: [8, 8] })],
    });
    const p = placeJob(req({ org: 'hk-ai', datasets: ['customs-manifests'] }), f, testDecider, NOW);
    expect(p.siteId).toBe('cp');
    expect(p.sites.find((s) => s.siteId === 'cp')?.residency.datasets[0]?.coveredBy).toBe('sa-1');
    // an expired approval covers nothing
    const expired = facts({ ...f, approvals: [{ ...(approvals[0] as (typeof approvals)[0]), validUntil: NOW - 1 }] });
    expect(
      placeJob(req({ org: 'hk-ai', datasets: ['customs-manifests'] }), expired, testDecider, NOW).sites[1]?.feasible,
    ).toBe(false);
  });

  it('requires a filed GBA standard contract for allow-with-conditions on that channel', () => {
    const only = { sites: [site('cp', 'Cyberport', 'HK', { A100: [8, 8] })] };
    const none = placeJob(req({ org: 'hk-ai', datasets: ['crm'] }), facts(only), testDecider, NOW);
    expect(none.siteId).toBeNull();
    expect(none.explanation).toContain('a filed GBA standard contract between sz-logistics and hk-ai');
    const agreements = [
      {
        id: 'gba-1',
        kind: 'gba-standard-contract' as const,
        exporterOrg: 'sz-logistics',
        importerOrg: 'hk-ai',
        dataTypes: [],
        filed: true,
        validUntil: null,
      },
    ];
    expect(
      placeJob(req({ org: 'hk-ai', datasets: ['crm'] }), facts({ ...only, agreements }), testDecider, NOW).siteId,
    ).toBe('cp');
    const unfiled = [{ ...(agreements[0] as (typeof agreements)[0]), filed: false }];
    expect(
      placeJob(req({ org: 'hk-ai', datasets: ['crm'] }), facts({ ...only, agreements: unfiled }), testDecider, NOW)
        .siteId,
    ).toBeNull();
  });

  it('never moves core data and treats same-jurisdiction reads as no movement', () => {
    const f = facts({ datasets: [dataset('secret', { classification: 'core' })] });
    const p = placeJob(req({ datasets: ['secret'] }), f, testDecider, NOW);
    expect(p.siteId).toBe('qh');
    expect(p.sites[0]?.residency.datasets[0]?.moved).toBe(false);
    expect(p.explanation).toContain('(rule 3)');
  });

  it('explains GPU type and size infeasibility', () => {
    const p = placeJob(req({ gpus: 4, gpuTypes: ['H800'] }), facts(), testDecider, NOW);
    expect(p.siteId).toBe('cp');
    expect(p.explanation).toContain('Qianhai: has no H800 (has A100)');
    const big = placeJob(req({ gpus: 16 }), facts(), testDecider, NOW);
    expect(big.siteId).toBeNull();
    expect(big.explanation).toContain('the largest allowed pool has 8');
  });

  it('scores by expected start, net price after subsidy, and data movement', () => {
    const subsidies = [HK_AI_SUBSIDY_SCHEME, SZ_COMPUTE_VOUCHERS];
    const hk = placeJob(req({ org: 'hk-ai' }), facts({ subsidies }), testDecider, NOW);
    // HK org at Cyberport pays 30% of 14 = 4.2/GPU-h; the SZ vouchers do not apply to an HK org.
    expect(hk.sites.find((s) => s.siteId === 'cp')?.netPricePerGpuHour).toBeCloseTo(4.2);
    expect(hk.siteId).toBe('cp');
    // moving a dataset costs more (300 s) than the price difference here: the job stays with its data
    expect(
      placeJob(req({ org: 'hk-ai', datasets: ['telemetry'] }), facts({ subsidies }), testDecider, NOW).siteId,
    ).toBe('qh');
    const running = [{ jobId: 'r', org: 'x', siteId: 'qh', gpuType: 'A100', gpus: 8, expectedEnd: NOW + 7200_000 }];
    const busy = facts({
      running,
      sites: [site('qh', 'Qianhai', 'SZ', { A100: [8, 0] }), site('cp', 'Cyberport', 'HK', { A100: [8, 8] })],
    });
    const p = placeJob(req({ datasets: ['telemetry'] }), busy, testDecider, NOW);
    expect(p.sites[0]?.expectedStart).toBe(NOW + 7200_000);
    expect(p.siteId).toBe('cp');
    expect(p.explanation).toContain('Qianhai: starts in 2.0 h');
  });

  it('rejects unknown datasets and organizations with HETAO_PLACEMENT_INPUT', () => {
    expect(() => placeJob(req({ datasets: ['nope'] }), facts(), testDecider, NOW)).toThrow(/unknown dataset/);
    expect(() => placeJob(req({ org: 'ghost' }), facts(), testDecider, NOW)).toThrow(/unknown org/);
  });

  it('property: a chosen site never violates residency as the rulebook decides it', () => {
    const jur = fc.constantFrom<Jurisdiction>('SZ', 'HK', 'GBA-mainland');
    const ds = fc.record({
      jurisdiction: jur,
      classification: fc.constantFrom('general', 'important', 'core' as const),
      pi: fc.boolean(),
      n: fc.integer({ min: 0, max: 2_000_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(ds, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(jur, fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 8 }),
        fc.boolean(),
        (dss, sites, gpus, withApproval) => {
          const datasets = dss.map((d, i) =>
            dataset(`d${i}`, {
              jurisdiction: d.jurisdiction,
              ownerOrg: d.jurisdiction === 'HK' ? 'hk-ai' : 'sz-logistics',
              classification: d.classification as 'general' | 'important' | 'core',
              containsPersonalInfo: d.pi,
              piIndividuals: d.pi ? d.n : 0,
            }),
          );
          const f = facts({
            datasets,
            orgs: [org('sz-logistics'), org('hk-ai', { jurisdiction: 'HK' })],
            sites: sites.map(([j, free], i) => site(`s${i}`, `Site ${i}`, j, { A100: [8, free] })),
            approvals: withApproval
              ? [
                  {
                    id: 'sa',
                    kind: 'security-assessment',
                    exporterOrg: 'sz-logistics',
                    importerOrg: 'hk-ai',
                    dataTypes: [],
                    validUntil: null,
                  },
                ]
              : [],
          });
          const p = placeJob(req({ org: 'hk-ai', gpus, datasets: datasets.map((d) => d.id) }), f, testDecider, NOW);
          if (p.siteId === null) return;
          const chosen = f.sites.find((s) => s.id === p.siteId);
          for (const d of datasets) {
            if (d.jurisdiction === chosen?.jurisdiction) continue;
            const mainland = (j: string) => j !== 'HK';
            // HK exporters answer to the PDPO (rule 2), not to the Mainland's data tiers
            if (!mainland(d.jurisdiction) || mainland(chosen?.jurisdiction ?? '')) continue;
            expect(d.classification).not.toBe('core');
            if (d.classification === 'important') expect(withApproval).toBe(true);
            if (
              d.jurisdiction !== 'HK' &&
              d.containsPersonalInfo &&
              d.classification === 'general' &&
              d.piIndividuals >= 100_000
            )
              expect.unreachable('GBA-SC flows need a filed contract, and none exists here');
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
