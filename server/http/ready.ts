import type { FastifyInstance } from 'fastify';

/**
 * `GET /readyz`: whether this node does its whole job right now (database, Redis, the stream from
 * the primary). 503 with the failing checks otherwise; /healthz stays the liveness probe, so a
 * node that lost Redis is reported, not restarted.
 */
export function registerReadiness(app: FastifyInstance, checks: () => Record<string, boolean>): void {
  app.get('/readyz', async (_request, reply) => {
    const results = checks();
    const ready = Object.values(results).every(Boolean);
    const shown = Object.fromEntries(Object.entries(results).map(([name, ok]) => [name, ok ? 'up' : 'down']));
    return reply
      .code(ready ? 200 : 503)
      .header('Cache-Control', 'no-store')
      .send({ status: ready ? 'ready' : 'degraded', checks: shown });
  });
}
