import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  deliveriesOutput,
  deliveriesQuery,
  idParams,
  replayInput,
  replayOutput,
  webhookCreated,
  webhookInput,
  webhookPatch,
  webhookSchema,
  webhooksOutput,
} from '../../../../contract/index.js';
import { requireRole } from '../../plugins/auth.js';

/**
 * Webhook endpoints (admins only, like accounts and tokens): register, list, change, remove, the
 * delivery log, and replay from a seq. What endpoints receive and how it is signed:
 * server/syndication/ and README's Syndication section.
 */
export const webhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { service } = app.webhooks;
  app.addHook('preHandler', requireRole('admin'));

  app.get('/api/webhooks', { schema: { response: { 200: webhooksOutput } } }, async () => ({ webhooks: service.list() }));

  app.post('/api/webhooks', { schema: { body: webhookInput, response: { 201: webhookCreated } } }, async (request, reply) => {
    const created = await service.create(request.actor, request.body);
    return reply.code(201).header('Location', `/api/webhooks/${created.webhook.id}`).send(created);
  });

  app.patch('/api/webhooks/:id', { schema: { params: idParams, body: webhookPatch, response: { 200: webhookSchema } } }, async (request) =>
    service.update(request.actor, request.params.id, request.body),
  );

  app.delete('/api/webhooks/:id', { schema: { params: idParams } }, async (request, reply) => {
    service.remove(request.actor, request.params.id);
    return reply.code(204).send();
  });

  app.get('/api/webhooks/:id/deliveries', { schema: { params: idParams, querystring: deliveriesQuery, response: { 200: deliveriesOutput } } }, async (request) => ({
    deliveries: service.deliveries(request.params.id, request.query.limit),
  }));

  app.post('/api/webhooks/:id/replay', { schema: { params: idParams, body: replayInput, response: { 202: replayOutput } } }, async (request, reply) =>
    reply.code(202).send(service.replay(request.actor, request.params.id, request.body)),
  );
};
