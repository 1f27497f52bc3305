import Type from 'typebox';
import type { Actor } from '../../access/index.js';
import { HetaoError } from '../../core/index.js';
import { limitLeft } from '../../exchange/index.js';
import type { JobRecord } from '../../scheduler/job-store.js';
import type { ApiInstance } from '../api-instance.js';
import { actorOf } from '../auth/authenticate.js';
import { assertAllowed } from '../auth/rules.js';
import type { ApiDeps } from '../deps.js';
import { jobView } from '../jobs/job-view.js';
import { agentPolicy } from '../policies/agents.js';

/** Only a site-agent token, and only for its own site (policies/agents.ts). */
function agentFor(actor: Actor, siteId: string): string {
  assertAllowed(agentPolicy.use, actor, 'use the agent protocol');
  if (!agentPolicy.site(actor, siteId)) {
    throw new HetaoError('HETAO_AGENT_SITE', `this token acts for site ${actor.siteId}, not ${siteId}`, {
      field: 'siteId',
    });
  }
  return siteId;
}

const SiteId = Type.String({ minLength: 1, maxLength: 64 });
const Token = Type.Integer({ minimum: 0, maximum: 2 ** 31 });
const MessageId = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' });

const Execution = Type.Object(
  {
    executor: Type.Union([Type.Literal('local'), Type.Literal('slurm')]),
    cluster: Type.Optional(Type.String({ maxLength: 64 })),
    slurmJobId: Type.Optional(Type.Integer({ minimum: 0 })),
    handle: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

/** The time limit the site enforces on this attempt, s (null: none set); less than the spec's after stopped runs. */
function runLimitSeconds(j: JobRecord): number | null {
  const ms = limitLeft(j);
  return ms === null ? null : Math.ceil(ms / 1000);
}

/**
 * The agent protocol: agents behind a centre's firewall pull work. Lease (long poll) -> report running ->
 * heartbeat while it runs -> report the end. Every report carries the lease's fencing token and a message id.
 */
export async function agentRoutes(app: ApiInstance, deps: ApiDeps, waitStepMs = 25): Promise<void> {
  app.post(
    '/agent/register',
    {
      schema: {
        body: Type.Object(
          { siteId: SiteId, executor: Type.Optional(Type.String({ maxLength: 20 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const siteId = agentFor(actorOf(req), req.body.siteId);
      const site = await deps.registry.getSite(siteId);
      if (!site) throw new HetaoError('HETAO_STORE_NOT_FOUND', `no site ${siteId}`, { field: 'siteId' });
      deps.leases.heard(siteId);
      return {
        siteId,
        name: site.name,
        gpus: site.gpus,
        leaseTtlMs: deps.leases.ttlMs,
        heartbeatMs: Math.floor(deps.leases.ttlMs / 4),
      };
    },
  );

  app.post(
    '/agent/lease',
    {
      schema: {
        body: Type.Object(
          { siteId: SiteId, waitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const siteId = agentFor(actorOf(req), req.body.siteId);
      const deadline = Date.now() + (req.body.waitMs ?? 0);
      for (;;) {
        const grant = await deps.leases.lease(siteId);
        if (grant) return { ...grant, job: jobView(grant.job), runLimitSeconds: runLimitSeconds(grant.job) };
        const left = deadline - Date.now();
        // The agent went away (stopped, or its request timed out): stop holding the request.
        const socket = req.raw.socket;
        if (left <= 0 || socket.destroyed) return reply.status(204).send();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(left, 1000));
          const off = deps.coordinator.onPlaced((s) => s === siteId && done());
          socket.once('close', done);
          function done() {
            clearTimeout(timer);
            off();
            socket.off('close', done);
            resolve();
          }
        });
        if (waitStepMs > 0) await new Promise((r) => setTimeout(r, 0));
      }
    },
  );

  app.post(
    '/agent/heartbeat',
    {
      schema: {
        body: Type.Object(
          {
            siteId: SiteId,
            leases: Type.Array(
              Type.Object(
                { jobId: Type.String({ maxLength: 64 }), leaseToken: Token },
                { additionalProperties: false },
              ),
              { maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => ({ answers: await deps.leases.heartbeat(agentFor(actorOf(req), req.body.siteId), req.body.leases) }),
  );

  app.post(
    '/agent/report',
    {
      schema: {
        body: Type.Object(
          {
            siteId: SiteId,
            messageId: MessageId,
            jobId: Type.String({ maxLength: 64 }),
            leaseToken: Token,
            state: Type.Union(
              ['running', 'succeeded', 'failed', 'timed-out', 'cancelled', 'lost'].map((s) => Type.Literal(s)),
            ),
            execution: Type.Optional(Execution),
            exitCode: Type.Optional(Type.Integer({ minimum: -1, maximum: 255 })),
            /** Why the attempt ended as it did (for `lost`: what the executor could not find). */
            reason: Type.Optional(Type.String({ maxLength: 1024 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      const { siteId, ...report } = req.body;
      const job = await deps.leases.report(
        agentFor(actorOf(req), siteId),
        report as Parameters<typeof deps.leases.report>[1],
      );
      return jobView(job);
    },
  );

  app.post(
    '/agent/logs',
    {
      bodyLimit: 1024 * 1024,
      schema: {
        body: Type.Object(
          {
            siteId: SiteId,
            jobId: Type.String({ maxLength: 64 }),
            leaseToken: Token,
            offset: Type.Integer({ minimum: 0 }),
            text: Type.String({ maxLength: 512 * 1024 }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      const b = req.body;
      await deps.leases.appendLog(agentFor(actorOf(req), b.siteId), b.jobId, b.leaseToken, b.offset, b.text);
      return reply.status(204).send();
    },
  );

  app.get('/agent/assignments', { schema: { querystring: Type.Object({ siteId: SiteId }) } }, async (req) => {
    const siteId = agentFor(actorOf(req), req.query.siteId);
    const jobs = await deps.leases.assignments(siteId);
    return {
      stop: await deps.leases.stale(siteId),
      items: jobs.map((j) => ({
        jobId: j.id,
        attempt: j.attempt,
        attemptId: `${j.id}-${j.attempt}`,
        leaseToken: j.leaseToken,
        state: j.state,
        handle: j.execution?.handle ?? null,
        job: jobView(j),
        runLimitSeconds: runLimitSeconds(j),
      })),
    };
  });
}
