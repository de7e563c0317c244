import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { draftInput, draftPatch, draftSchema, draftsOutput, entrySchema, idParams, returnNote, reviewNote, slugParams } from '../../../../contract/index.js';
import { requireRole } from '../../plugins/auth.js';
import { parseIfMatch } from '../../preconditions.js';
import { ENTRY_BODY_LIMIT } from '../entries/entries.js';

/**
 * Entries before they are public (issue 17): a post's drafts, saving, submitting and scheduling
 * one, publishing it, and the editor's review (approve, return with a note, reject). Every route
 * is the newsroom's (any signed-in role, contributors included); who may do what to which draft
 * is the service's rule (domain/workflow.ts). Nothing here is ever cached.
 */

const PRIVATE = 'no-store';

export const draftRoutes: FastifyPluginAsyncZod = async (app) => {
  const { drafts } = app;
  const newsroom = requireRole('contributor');

  app.get('/api/posts/:slug/drafts', { preHandler: newsroom, schema: { params: slugParams, response: { 200: draftsOutput } } }, async (request, reply) => {
    return reply.header('Cache-Control', PRIVATE).send({ drafts: drafts.list(request.actor, request.params.slug) });
  });

  app.post(
    '/api/posts/:slug/drafts',
    { preHandler: newsroom, bodyLimit: ENTRY_BODY_LIMIT, schema: { params: slugParams, body: draftInput, response: { 201: draftSchema } } },
    async (request, reply) => {
      const draft = await drafts.create(request.actor, request.params.slug, request.body);
      return reply.code(201).header('Location', `/api/drafts/${draft.id}`).header('ETag', `"${draft.version}"`).send(draft);
    },
  );

  app.get('/api/drafts/:id', { preHandler: newsroom, schema: { params: idParams, response: { 200: draftSchema } } }, async (request, reply) => {
    const draft = drafts.get(request.actor, request.params.id);
    return reply.header('Cache-Control', PRIVATE).header('ETag', `"${draft.version}"`).send(draft);
  });

  app.patch(
    '/api/drafts/:id',
    { preHandler: newsroom, bodyLimit: ENTRY_BODY_LIMIT, schema: { params: idParams, body: draftPatch, response: { 200: draftSchema } } },
    async (request, reply) => {
      const draft = await drafts.update(request.actor, request.params.id, parseIfMatch(request.headers['if-match']), request.body);
      return reply.header('ETag', `"${draft.version}"`).send(draft);
    },
  );

  app.delete('/api/drafts/:id', { preHandler: newsroom, schema: { params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    drafts.delete(request.actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.code(204).send(null);
  });

  /** Publishes it now: 201 with the entry, credited to the draft's author. */
  app.post('/api/drafts/:id/publish', { preHandler: newsroom, schema: { params: idParams, response: { 201: entrySchema } } }, async (request, reply) => {
    const entry = drafts.publish(request.actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.code(201).header('Location', `/api/entries/${entry.id}`).header('ETag', `"${entry.version}"`).send(entry);
  });

  // --- review (editors)

  app.post('/api/drafts/:id/approve', { preHandler: newsroom, schema: { params: idParams, response: { 201: entrySchema } } }, async (request, reply) => {
    const entry = drafts.approve(request.actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.code(201).header('Location', `/api/entries/${entry.id}`).header('ETag', `"${entry.version}"`).send(entry);
  });

  app.post('/api/drafts/:id/return', { preHandler: newsroom, schema: { params: idParams, body: returnNote, response: { 200: draftSchema } } }, async (request, reply) => {
    const draft = drafts.returnToAuthor(request.actor, request.params.id, parseIfMatch(request.headers['if-match']), request.body.note);
    return reply.header('ETag', `"${draft.version}"`).send(draft);
  });

  app.post('/api/drafts/:id/reject', { preHandler: newsroom, schema: { params: idParams, body: reviewNote, response: { 200: draftSchema } } }, async (request, reply) => {
    const draft = drafts.reject(request.actor, request.params.id, parseIfMatch(request.headers['if-match']), request.body.note);
    return reply.header('ETag', `"${draft.version}"`).send(draft);
  });
};
