import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Metrics } from '../../metrics/metrics.js';
import { internalOnly } from '../internal-only.js';

/**
 * Times every HTTP request and serves `GET /metrics` in Prometheus text format. Hook and endpoint
 * belong together (the one registry they share) and both node roles need both: a fan-out node
 * (fanout.ts), which has no plugin stack, calls `registerMetrics` itself; the primary registers
 * the `requestMetrics` plugin.
 */
export function registerMetrics(app: FastifyInstance, metrics: Metrics, metricsToken: string | undefined): void {
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL: one series per route, whatever the slugs.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { preHandler: internalOnly(metricsToken) }, async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('Cache-Control', 'no-store').type(metrics.registry.contentType).send(body);
  });
}

export const requestMetrics = fp(async (app) => registerMetrics(app, app.metrics, app.config.http.metricsToken), { name: 'request-metrics', dependencies: ['config', 'metrics'] });
