import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authenticate } from '../auth.js';
import { parseIdempotencyKey, parseIfMatch } from '../preconditions.js';
import { idParams, entryInput, entrySchema, entryPatch, slugParams } from '../../../contract/index.js';

/** Entry bodies are at most 20,000 characters; 64 KiB leaves room for JSON escaping. */
export const ENTRY_BODY_LIMIT = 64 * 1024;

export const entryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { entries } = app.services;

  app.post(
    '/api/posts/:slug/entries',
    { bodyLimit: ENTRY_BODY_LIMIT, schema: { params: slugParams, body: entryInput, response: { 200: entrySchema, 201: entrySchema } } },
    async (request, reply) => {
      const actor = authenticate(request, app.stores.tokens);
      const key = parseIdempotencyKey(request.headers['idempotency-key']);
      const { entry, replayed } = await entries.create(actor, request.params.slug, request.body, key);
      if (replayed) reply.header('Idempotent-Replayed', 'true');
      return reply
        .code(replayed ? 200 : 201)
        .header('Location', `/api/entries/${entry.id}`)
        .header('ETag', `"${entry.version}"`)
        .send(entry);
    },
  );

  app.get('/api/entries/:id', { schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const entry = entries.byId(request.params.id);
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.patch(
    '/api/entries/:id',
    { bodyLimit: ENTRY_BODY_LIMIT, schema: { params: idParams, body: entryPatch, response: { 200: entrySchema } } },
    async (request, reply) => {
      const actor = authenticate(request, app.stores.tokens);
      const entry = await entries.update(actor, request.params.id, parseIfMatch(request.headers['if-match']), request.body);
      return reply.header('ETag', `"${entry.version}"`).send(entry);
    },
  );

  app.delete('/api/entries/:id', { schema: { params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    const actor = authenticate(request, app.stores.tokens);
    entries.delete(actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.code(204).send(null);
  });
};

