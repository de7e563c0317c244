import fp from 'fastify-plugin';
import { Metrics } from '../metrics/metrics.js';

/**
 * One Prometheus registry per server: SQLite write times, published changes, readers and HTTP
 * durations all land in it, and `GET /metrics` serves it (http/plugins/request-metrics.ts).
 */

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export const metricsPlugin = fp(
  async (app) => {
    app.decorate('metrics', new Metrics());
  },
  { name: 'metrics' },
);
