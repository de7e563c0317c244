import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REVISION_ACTIONS } from '../../../contract/index.js';
import { authenticate } from '../auth.js';
import { parseIfMatch } from '../preconditions.js';
import { idParams, entrySchema, slugParams } from '../../../contract/index.js';

const storedEntryOutput = entrySchema.extend({ deletedAt: z.string().nullable() });

const revisionOutput = z.object({
  version: z.number(),
  action: z.enum(REVISION_ACTIONS),
  body: z.string(),
  keyEvent: z.boolean(),
  shownAt: z.string().nullable(),
  actor: z.object({ id: z.number(), name: z.string() }).nullable(),
  createdAt: z.string(),
});

/** The editor's desk: history, restore and pin. Plain edits and deletes live in entries.ts. */
export const deskRoutes: FastifyPluginAsyncZod = async (app) => {
  const { entries, posts } = app.services;

  app.get(
    '/api/entries/:id/revisions',
    { schema: { params: idParams, response: { 200: z.object({ entry: storedEntryOutput, revisions: z.array(revisionOutput) }) } } },
    async (request, reply) => {
      authenticate(request, app.stores.tokens);
      return reply.header('Cache-Control', 'no-store').send(entries.revisions(request.params.id));
    },
  );

  app.post('/api/entries/:id/restore', { schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const actor = authenticate(request, app.stores.tokens);
    const entry = entries.restore(actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.put('/api/entries/:id/pin', { schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const entry = entries.setPinned(authenticate(request, app.stores.tokens), request.params.id, true);
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.delete('/api/entries/:id/pin', { schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const entry = entries.setPinned(authenticate(request, app.stores.tokens), request.params.id, false);
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.get(
    '/api/posts/:slug/deleted',
    { schema: { params: slugParams, response: { 200: z.object({ entries: z.array(storedEntryOutput) }) } } },
    async (request, reply) => {
      authenticate(request, app.stores.tokens);
      const post = posts.bySlug(request.params.slug);
      return reply.header('Cache-Control', 'no-store').send({ entries: entries.deletedIn(post.id) });
    },
  );
};
