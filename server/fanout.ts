import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { PROBLEM_TYPE_BASE, sendProblem } from './http/plugins/problems.js';
import { eventRoutes } from './http/routes/events/events.js';
import { registerReadiness } from './http/routes/health/health.js';
import { registerMetrics } from './http/plugins/request-metrics.js';
import { Metrics } from './metrics/metrics.js';
import { trustFunction } from './domain/proxies.js';
import { buildRealtimeNode, nodeSettingsFrom } from './realtime/node.js';
import { loadRedisLibraries } from './realtime/redis-libraries.js';

/**
 * A fan-out node (ROLE=fanout): holds reader sockets only. It opens no database; changes reach it
 * through Redis, and posts and catch-up come from the primary over HTTP. Its realtime node is the
 * primary's (server/realtime/node.ts: same guards, rooms, presence, metrics). It serves
 * `/socket.io/`, Server-Sent Events (`/api/posts/:slug/events`), `/healthz`, `/readyz` and
 * `/metrics`; nginx sends everything else to the primary.
 */
export async function buildFanoutApp({ config, logger = true }: { config: Config; logger?: boolean }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    requestTimeout: 30_000,
    // Behind nginx the real client address comes from X-Forwarded-For (TRUST_PROXY), as on the primary.
    trustProxy: trustFunction(nodeSettingsFrom(config).trustProxy),
  });
  const metrics = new Metrics();
  const redis = await loadRedisLibraries(config.scaleOut.redisUrl);
  const node = buildRealtimeNode({ httpServer: app.server, config, role: 'fanout', log: app.log, metrics, redis });

  app.get('/healthz', async (_request, reply) => reply.header('Cache-Control', 'no-store').send({ status: 'ok', role: 'fanout', connections: node.io.engine.clientsCount }));
  // Server-Sent Events from this node's feed, as its sockets get them (nginx sends /events here).
  await app.register(eventRoutes, { node: () => node.events });
  registerMetrics(app, metrics, config.http.metricsToken);
  registerReadiness(app, () => node.checks(), config.http.metricsToken);
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'not-found', title: 'Not found', status: 404, detail: `A fan-out node serves only /socket.io/ and /api/posts/:slug/events; ${request.url.split('?')[0]} lives on the primary.` }),
  );
  // Sockets first: an open WebSocket would keep the HTTP server from closing.
  app.addHook('preClose', () => node.close());
  return app;
}
