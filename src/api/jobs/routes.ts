import Type from 'typebox';
import { parse as parseYaml } from 'yaml';
import type { Actor } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import { parseJobSpec } from '../../scheduler/job-spec.js';
import { JOB_STATES, type JobState } from '../../scheduler/job-state.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed, assertVisible, readsEverything } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { jobPolicy } from '../policies/jobs.js';
import { IdParams, PageQuery, pageOf } from '../schemas.js';
import { jobView } from './job-view.js';

const ListJobs = Type.Object({
  ...PageQuery.properties,
  state: Type.Optional(Type.Union(JOB_STATES.map((s) => Type.Literal(s)))),
  site: Type.Optional(Type.String({ maxLength: 64 })),
});

export async function jobRoutes(app: ApiInstance, deps: ApiDeps): Promise<void> {
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, parseYaml(body as string));
      } catch (cause) {
        done(new HetaoError('HETAO_JOB_SPEC_SYNTAX', `job spec: ${(cause as Error).message}`, { cause }), undefined);
      }
    },
  );

  app.post('/jobs', async (req, reply) => {
    const actor = actorOf(req);
    assertAllowed(jobPolicy.submit, actor, 'submit jobs');
    const job = await deps.coordinator.submit(actor, parseJobSpec(req.body ?? {}));
    return reply.status(201).send(jobView(job, await deps.jobs.listJobEvents(job.id)));
  });

  app.get('/jobs', { schema: { querystring: ListJobs } }, async (req) => {
    const actor = actorOf(req);
    assertAllowed(jobPolicy.list, actor, 'list jobs');
    const page = await deps.jobs.listJobs(
      {
        ...(readsEverything(actor) ? {} : { orgId: actor.orgId }),
        ...(req.query.state ? { states: [req.query.state as JobState] } : {}),
        ...(req.query.site ? { siteId: req.query.site } : {}),
      },
      pageOf(req.query),
    );
    return { items: page.items.map((j) => jobView(j)), next: page.next };
  });

  const visible = async (actor: Actor, id: string) =>
    assertVisible(jobPolicy.read, actor, await deps.jobs.getJob(id), 'job', id);

  app.get('/jobs/:id', { schema: { params: IdParams } }, async (req) => {
    const job = await visible(actorOf(req), req.params.id);
    return jobView(job, await deps.jobs.listJobEvents(job.id));
  });

  app.get('/jobs/:id/logs', { schema: { params: IdParams } }, async (req, reply) => {
    const job = await visible(actorOf(req), req.params.id);
    return reply.type('text/plain; charset=utf-8').send(await deps.jobs.readJobLog(job.id));
  });

  app.post('/jobs/:id/cancel', { schema: { params: IdParams } }, async (req) => {
    const actor = actorOf(req);
    const job = await visible(actor, req.params.id);
    assertAllowed(jobPolicy.cancel, actor, 'cancel this job', job);
    const next = await deps.coordinator.cancel(job.id, `cancelled by ${actor.role}`);
    return jobView(next, await deps.jobs.listJobEvents(job.id));
  });
}
