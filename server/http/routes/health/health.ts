import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { internalOnly } from '../../internal-only.js';
import { PROBLEM_TYPE_BASE, sendProblem } from '../../plugins/problems.js';

/**
 * Probes for the orchestrator and the load balancer. `/healthz` is liveness: the process and its
 * database answer. `/readyz` is readiness: whether this node does its whole job right now
 * (database, Redis, the stream from the primary); 503 with the failing checks otherwise, so a node
 * that lost Redis is reported, not restarted. `/metrics` comes with the request-metrics plugin.
 * A fan-out node (fanout.ts) has its own /healthz and the same `registerReadiness`.
 */

export function registerReadiness(app: FastifyInstance, checks: () => Record<string, boolean>, metricsToken: string | undefined): void {
  app.get('/readyz', { preHandler: internalOnly(metricsToken) }, async (_request, reply) => {
    const results = checks();
    const ready = Object.values(results).every(Boolean);
    const shown = Object.fromEntries(Object.entries(results).map(([name, ok]) => [name, ok ? 'up' : 'down']));
    return reply
      .code(ready ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send({ status: ready ? 'ready' : 'degraded', checks: shown });
  });
}

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.stores;
  const databaseAnswers = (): boolean => {
    try {
      db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  };

  app.get('/healthz', async (request, reply) => {
    try {
      db.prepare('SELECT 1').get();
      return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
    } catch (error) {
      request.log.error({ err: error }, 'health check: database does not answer');
      return sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'unhealthy', title: 'Unhealthy', status: 503, detail: 'The database does not answer.' });
    }
  });

  registerReadiness(app, () => ({ database: databaseAnswers(), ...app.realtime.checks() }), app.config.http.metricsToken);
};
