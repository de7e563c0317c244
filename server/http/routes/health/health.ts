import type { FastifyPluginAsync } from 'fastify';
import { sendProblem, PROBLEM_TYPE_BASE } from './problems.js';

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async (request, reply) => {
    try {
      app.stores.db.prepare('SELECT 1').get();
      return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
    } catch (error) {
      request.log.error({ err: error }, 'health check: database does not answer');
      return sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'unhealthy', title: 'Unhealthy', status: 503, detail: 'The database does not answer.' });
    }
  });
};
