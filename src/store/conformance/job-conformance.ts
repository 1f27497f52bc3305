import { describe, expect, it } from 'vitest';
import { everyItem } from '../../registry/index.js';
import { at, org, site } from '../../registry/testing/factories.js';
import { JOB_STATES } from '../../scheduler/job-state.js';
import type { JobRecord } from '../../scheduler/job-store.js';
import { jobRecord } from '../../scheduler/testing/job-record.js';
import { freshStorePerTest } from '../testing/fresh-store.js';
import type { TestTarget } from '../testing/targets.js';

/** The job store's listing and counting contract, run against one database. */
export function jobConformance(target: TestTarget): void {
  const fx = freshStorePerTest(target, at);

  describe('jobs', () => {
    it('counts jobs by state under the same filters as the listing, every state present', async () => {
      const { registry, jobs } = fx.store;
      const a = await registry.insertOrganization(org());
      const b = await registry.insertOrganization(org());
      const s = await registry.insertSite(site(a.id));
      const plan: [string, JobRecord['state'], string | null][] = [
        [a.id, 'queued', null],
        [a.id, 'queued', null],
        [a.id, 'running', s.id],
        [a.id, 'succeeded', s.id],
        [b.id, 'running', s.id],
        [b.id, 'failed', null],
      ];
      for (const [orgId, state, siteId] of plan) await jobs.insertJob(jobRecord(orgId, { state, siteId }), []);

      const zero = Object.fromEntries(JOB_STATES.map((st) => [st, 0]));
      expect(await jobs.countJobs({})).toEqual({ ...zero, queued: 2, running: 2, succeeded: 1, failed: 1 });
      expect(await jobs.countJobs({ orgId: a.id })).toEqual({ ...zero, queued: 2, running: 1, succeeded: 1 });
      expect(await jobs.countJobs({ siteId: s.id })).toEqual({ ...zero, running: 2, succeeded: 1 });
      expect(await jobs.countJobs({ states: ['running', 'failed'] })).toEqual({ ...zero, running: 2, failed: 1 });
      expect(await jobs.countJobs({ orgId: b.id, states: ['queued'] })).toEqual(zero);
      // the counts agree with the listing
      for (const filter of [{}, { orgId: a.id }, { siteId: s.id }]) {
        const listed = await everyItem((p) => jobs.listJobs(filter, p));
        const counts = await jobs.countJobs(filter);
        expect(listed.length).toBe(Object.values(counts).reduce((x, y) => x + y, 0));
      }
    });

    it('lists the runs at a site that overlap a time, with their GPUs', async () => {
      const { registry, jobs } = fx.store;
      const a = await registry.insertOrganization(org());
      const s = await registry.insertSite(site(a.id));
      const other = await registry.insertSite(site(a.id));
      const add = (siteId: string | null, gpus: number, startedAt: number | null, endedAt: number | null) =>
        jobs.insertJob(
          jobRecord(a.id, {
            siteId,
            gpus,
            startedAt,
            endedAt,
            state: endedAt !== null ? 'succeeded' : startedAt !== null ? 'running' : 'placed',
          }),
          [],
        );
      const ended = await add(s.id, 2, 100, 200);
      const running = await add(s.id, 4, 150, null);
      const endsAtSince = await add(s.id, 1, 50, 120);
      await add(s.id, 8, 10, 119); // over before `since`
      await add(s.id, 3, null, null); // placed, never started
      await add(other.id, 5, 100, null); // another site
      expect(await jobs.listRuns(s.id, 120)).toEqual([
        { jobId: endsAtSince.id, gpus: 1, startedAt: 50, endedAt: 120 },
        { jobId: ended.id, gpus: 2, startedAt: 100, endedAt: 200 },
        { jobId: running.id, gpus: 4, startedAt: 150, endedAt: null },
      ]);
    });

    it('keeps the stopped runs with their sites, and lists those at a site among its runs', async () => {
      const { registry, jobs } = fx.store;
      const a = await registry.insertOrganization(org());
      const s = await registry.insertSite(site(a.id));
      const other = await registry.insertSite(site(a.id));
      const priorRuns = [
        { siteId: s.id, startedAt: 100, endedAt: 130 }, // stopped by preemption at s
        { siteId: other.id, startedAt: 140, endedAt: 160 }, // then its site was lost
        { siteId: s.id, startedAt: 170, endedAt: 190 },
      ];
      const resumed = await jobs.insertJob(
        jobRecord(a.id, { gpus: 2, state: 'running', siteId: other.id, startedAt: 200, priorRunMs: 70, priorRuns }),
        [],
      );
      const oldStop = await jobs.insertJob(
        jobRecord(a.id, { priorRuns: [{ siteId: s.id, startedAt: 1, endedAt: 9 }] }),
        [],
      );
      expect((await jobs.getJob(resumed.id))?.priorRuns).toEqual(priorRuns);
      expect((await jobs.getJob(oldStop.id))?.priorRuns).toHaveLength(1);
      expect((await jobs.insertJob(jobRecord(a.id), [])).priorRuns).toEqual([]);
      expect(await jobs.listRuns(s.id, 120)).toEqual([
        { jobId: resumed.id, gpus: 2, startedAt: 100, endedAt: 130 },
        { jobId: resumed.id, gpus: 2, startedAt: 170, endedAt: 190 },
      ]);
      expect(await jobs.listRuns(other.id, 0)).toEqual([
        { jobId: resumed.id, gpus: 2, startedAt: 140, endedAt: 160 },
        { jobId: resumed.id, gpus: 2, startedAt: 200, endedAt: null },
      ]);
    });

    it('lists the jobs that are or were at a site, changed since a time', async () => {
      const { registry, jobs } = fx.store;
      const a = await registry.insertOrganization(org());
      const s = await registry.insertSite(site(a.id));
      const other = await registry.insertSite(site(a.id));
      const here = await jobs.insertJob(jobRecord(a.id, { state: 'running', siteId: s.id, updatedAt: 500 }), []);
      const lastHere = await jobs.insertJob(jobRecord(a.id, { priorSiteId: s.id, updatedAt: 500 }), []);
      const ranHere = await jobs.insertJob(
        jobRecord(a.id, {
          state: 'running',
          siteId: other.id,
          priorSiteId: other.id,
          priorRuns: [{ siteId: s.id, startedAt: 1, endedAt: 9 }],
          updatedAt: 500,
        }),
        [],
      );
      await jobs.insertJob(jobRecord(a.id, { state: 'running', siteId: other.id, updatedAt: 500 }), []);
      const old = await jobs.insertJob(jobRecord(a.id, { state: 'cancelled', siteId: s.id, updatedAt: 100 }), []);
      const ids = async (f: object) => (await everyItem((p) => jobs.listJobs(f, p))).map((j) => j.id).sort();
      expect(await ids({ touchedSiteId: s.id })).toEqual([here.id, lastHere.id, ranHere.id, old.id].sort());
      expect(await ids({ touchedSiteId: s.id, updatedSince: 200 })).toEqual([here.id, lastHere.id, ranHere.id].sort());
    });

    it('lists the finished runs of every organization and site since a time, for fair share', async () => {
      const { registry, jobs } = fx.store;
      const a = await registry.insertOrganization(org());
      const b = await registry.insertOrganization(org());
      const s = await registry.insertSite(site(a.id));
      const t = await registry.insertSite(site(b.id));
      const add = (
        orgId: string,
        siteId: string,
        gpus: number,
        startedAt: number | null,
        endedAt: number | null,
        priorRunMs = 0,
      ) => jobs.insertJob(jobRecord(orgId, { siteId, gpus, startedAt, endedAt, priorRunMs }), []);
      const stoppedBefore = await add(a.id, s.id, 2, 100, 200, 4_000_000_000); // earlier runs were preempted
      expect((await jobs.getJob(stoppedBefore.id))?.priorRunMs).toBe(4_000_000_000);
      const waiting = await jobs.insertJob(jobRecord(a.id, { priorRunMs: 60_000, priorSiteId: s.id }), []);
      expect(await jobs.getJob(waiting.id)).toMatchObject({ siteId: null, priorRunMs: 60_000, priorSiteId: s.id });
      await add(b.id, t.id, 0.5, 150, 300);
      await add(a.id, t.id, 1, 50, 120); // ends exactly at `since`
      await add(a.id, s.id, 8, 10, 119); // over before `since`
      await add(b.id, s.id, 4, 150, null); // still running: counted when it ends
      await add(b.id, s.id, 3, null, null); // never started
      await add(b.id, s.id, 2, null, 250, 60_000); // cancelled while queued after a preempted run
      await add(a.id, s.id, 2, null, 250); // cancelled while queued, never ran
      const mine = (await jobs.listUsage(120)).filter((r) => r.orgId === a.id || r.orgId === b.id);
      const key = (r: { orgId: string; startedAt: number | null }) => `${r.orgId}:${r.startedAt}`;
      expect([...mine].sort((x, y) => (key(x) < key(y) ? -1 : 1))).toEqual(
        [
          { orgId: a.id, gpus: 2, startedAt: 100, endedAt: 200, priorRunMs: 4_000_000_000 },
          { orgId: a.id, gpus: 1, startedAt: 50, endedAt: 120, priorRunMs: 0 },
          { orgId: b.id, gpus: 0.5, startedAt: 150, endedAt: 300, priorRunMs: 0 },
          { orgId: b.id, gpus: 2, startedAt: null, endedAt: 250, priorRunMs: 60_000 },
        ].sort((x, y) => (key(x) < key(y) ? -1 : 1)),
      );
    });

    it('lists past the largest page when read to the end', async () => {
      const { registry, jobs } = fx.store;
      const a = await registry.insertOrganization(org());
      const made = new Set<string>();
      for (let i = 0; i < 523; i++) made.add((await jobs.insertJob(jobRecord(a.id), [])).id);
      const first = await jobs.listJobs({}, { limit: 500 });
      expect(first.items).toHaveLength(500);
      expect(first.next).not.toBeNull();
      const all = await everyItem((p) => jobs.listJobs({ orgId: a.id }, p));
      expect(all).toHaveLength(523);
      expect(new Set(all.map((j) => j.id))).toEqual(made);
      expect((await jobs.countJobs({ orgId: a.id })).queued).toBe(523);
    });
  });
}
