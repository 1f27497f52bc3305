import type { Role } from '../../access/index.js';
import type { Harness } from '../testing/api-harness.js';

/**
 * Fresh objects for one authorization probe, created through the API by the accounts allowed to create them.
 * Everything is owned by (or between) organization A and, where a third party is needed, organization C.
 */
export class Fixture {
  #n = 0;
  constructor(readonly h: Harness) {}

  call(method: 'GET' | 'POST' | 'PATCH', url: string, token: string | null, payload?: unknown) {
    return this.h.call(method, url, token, payload);
  }

  async must(method: 'GET' | 'POST', url: string, role: Role, payload?: unknown, side: 'A' | 'B' = 'A') {
    const token = side === 'A' ? this.h.tokens[role] : this.h.other[role];
    const r = await this.call(method, url, token, payload);
    if (r.status >= 300)
      throw new Error(`fixture: ${method} ${url} as ${role} -> ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  uniq(prefix: string): string {
    return `${prefix}-${++this.#n}-${Math.random().toString(36).slice(2, 7)}`;
  }

  digest(): string {
    return Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(Math.random() * 16)]).join('');
  }

  #orgC: string | undefined;
  async orgC(): Promise<string> {
    this.#orgC ??= (
      await this.must('POST', '/organizations', 'exchange-admin', { name: this.uniq('org-c'), jurisdiction: 'HK' })
    ).id;
    return this.#orgC as string;
  }

  #type: string | undefined;
  async dataType(): Promise<string> {
    this.#type ??= (
      await this.must('POST', '/data-types', 'exchange-admin', {
        name: `authz.${this.uniq('records')}`,
        title: 'Records',
        defaultClassification: 'general',
        containsPersonalInfo: false,
      })
    ).name;
    return this.#type as string;
  }

  async dataset(): Promise<string> {
    const body = {
      name: this.uniq('ds'),
      siteId: this.h.site.id,
      dataType: await this.dataType(),
      sizeBytes: 1,
      contentDigest: this.digest(),
    };
    return (await this.must('POST', '/datasets', 'org-admin', body)).id;
  }

  /** An association declared by A with B, moved to `state`. */
  async association(state: 'declared' | 'confirmed' | 'approved'): Promise<string> {
    const a = await this.must('POST', '/associations', 'org-admin', {
      orgB: this.h.orgB.id,
      basis: 'control-of-funds',
      evidenceDigest: this.digest(),
    });
    if (state !== 'declared') await this.must('POST', `/associations/${a.id}/confirm`, 'org-admin', {}, 'B');
    if (state === 'approved') await this.must('POST', `/associations/${a.id}/approve`, 'regulator', {});
    return a.id;
  }

  /** An association between A and C: B is no party to it. */
  async associationAC(): Promise<string> {
    return (
      await this.must('POST', '/associations', 'org-admin', {
        orgB: await this.orgC(),
        basis: 'control-of-funds',
        evidenceDigest: this.digest(),
      })
    ).id;
  }

  async scenario(): Promise<string> {
    const body = {
      name: this.uniq('scn').replace(/[^a-z0-9-]/g, ''),
      title: 'Scenario',
      participants: [{ orgId: this.h.orgA.id, role: 'lead' }],
    };
    return (await this.must('POST', '/scenarios', 'exchange-admin', body)).id;
  }

  /** A list entry in `state`, walked there by the Mainland-side regulator. */
  async listEntry(state: 'proposed' | 'piloting' | 'assessed' | 'listed' | 'suspended'): Promise<string> {
    const e = await this.must('POST', '/general-data-list', 'regulator', {
      scenarioId: await this.scenario(),
      dataType: await this.dataType(),
      reason: 'test',
    });
    const steps: [string, object][] = [
      ['pilot', {}],
      ['assess', { result: 'safe', evidenceDigest: this.digest() }],
      ['list', {}],
      ['suspend', {}],
    ];
    const upto = ['proposed', 'piloting', 'assessed', 'listed', 'suspended'].indexOf(state);
    for (const [kind, extra] of steps.slice(0, upto))
      await this.must('POST', `/general-data-list/${e.id}/${kind}`, 'regulator', { reason: kind, ...extra });
    return e.id;
  }

  async agreementAC(): Promise<string> {
    const body = {
      kind: 'standard-contract',
      exporterOrgId: this.h.orgA.id,
      importerOrgId: await this.orgC(),
      dataTypes: [],
      filedAt: 1,
      evidenceDigest: this.digest(),
    };
    return (await this.must('POST', '/agreements', 'org-admin', body)).id;
  }

  async job(): Promise<string> {
    return (await this.must('POST', '/jobs', 'org-member', { name: this.uniq('job'), run: 'true' })).id;
  }

  /** Leases everything placed at the site, so that a lease probe finds no work (204). */
  async drainLeases(): Promise<void> {
    await this.h.deps.coordinator.tick();
    while (
      (await this.call('POST', '/agent/lease', this.h.tokens['site-agent'], { siteId: this.h.site.id })).status === 200
    ) {}
  }

  /** A job of A leased by the site's agent: its id and lease token. */
  async leasedJob(): Promise<{ jobId: string; leaseToken: number }> {
    const jobId = await this.job();
    await this.h.deps.coordinator.tick();
    for (;;) {
      const r = await this.call('POST', '/agent/lease', this.h.tokens['site-agent'], { siteId: this.h.site.id });
      if (r.status === 204) throw new Error('fixture: nothing to lease');
      if (r.body.jobId === jobId) return { jobId, leaseToken: r.body.leaseToken };
    }
  }
}
