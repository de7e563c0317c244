import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { deletedEntriesOutput, draftSchema, entriesOutput, entriesQuery, entryPatch, entryWriteInput, entrySchema, idParams, previewInput, previewOutput, revisionsOutput, ENTRY_BODY_MAX, FROM_START, slugParams } from '../../../../contract/index.js';
import { atOrBefore, decodeCursor } from '../../../domain/cursor.js';
import { errors } from '../../../domain/errors.js';
import { RenderError } from '../../../render/markdown.js';
import { PUBLIC_CACHE } from '../../caching.js';
import { hasRole } from '../../../domain/roles.js';
import { requireRole, requireUser } from '../../plugins/auth.js';
import { parseIdempotencyKey, parseIfMatch } from '../../preconditions.js';
import { audienceOf } from '../../audience.js';

/**
 * Entries, everything about them in one place: a post's entries (paged back in time), writing,
 * reading, editing and deleting one, and the editor's desk (revisions, deleted entries, restore,
 * pin). A preview renders a draft with the very pipeline entries are published with, so it is
 * exact. Who may change which entry is the service's rule (domain/roles.ts): here, any role.
 */

/**
 * Sized from the character cap (security review L6): JSON may spell each of the 20,000 UTF-16
 * code units as a 6-byte `\uXXXX` escape, and a client that escapes all non-ASCII does; a fixed
 * 64 KiB refused valid entries. Plus room for the other fields.
 */
export const ENTRY_BODY_LIMIT = ENTRY_BODY_MAX * 6 + 8 * 1024;

function invalidCursor(parameter: 'before' | 'after') {
  return errors.validation('The cursor is not one this server issued.', [{ field: `querystring.${parameter}`, message: 'is not a valid cursor' }]);
}

export const entryRoutes: FastifyPluginAsyncZod = async (app) => {
  const { entries, posts } = app.services;

  app.get('/api/posts/:slug/entries', { schema: { params: slugParams, querystring: entriesQuery, response: { 200: entriesOutput } } }, async (request, reply) => {
    const { before, after, at, limit } = request.query;
    const audience = audienceOf(request);
    reply.header('Cache-Control', PUBLIC_CACHE);
    if (after !== undefined) {
      const from = after === FROM_START ? undefined : decodeCursor(after);
      if (after !== FROM_START && !from) throw invalidCursor('after');
      return posts.entriesAfter(request.params.slug, from, limit, audience);
    }
    const cursor = before === undefined ? (at === undefined ? undefined : atOrBefore(at)) : decodeCursor(before);
    if (before !== undefined && !cursor) throw invalidCursor('before');
    return posts.entriesBefore(request.params.slug, cursor, limit, audience);
  });

  app.post(
    '/api/posts/:slug/entries',
    {
      // Contributors too (issue 17): they may save drafts and submit them; publishing needs an author.
      preHandler: requireRole('contributor'),
      bodyLimit: ENTRY_BODY_LIMIT,
      schema: { params: slugParams, body: entryWriteInput, response: { 200: entrySchema, 201: z.union([entrySchema, draftSchema]) } },
    },
    async (request, reply) => {
      const { state, publishAt, ...input } = request.body;
      if (state !== undefined && state !== 'published') {
        const draft = await app.drafts.create(request.actor, request.params.slug, { ...input, state, ...(publishAt ? { publishAt } : {}) });
        return reply.code(201).header('Location', `/api/drafts/${draft.id}`).header('ETag', `"${draft.version}"`).send(draft);
      }
      if (!hasRole(request.actor, 'author')) throw errors.forbidden('Contributors cannot publish: send state "draft" to save it, or "submitted" for an editor to review.');
      const key = parseIdempotencyKey(request.headers['idempotency-key']);
      const { entry, replayed } = await entries.create(request.actor, request.params.slug, input, key);
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
    // An entry of a draft post (issue 17) is the newsroom's: ids count up, so a reader could guess one.
    if (audienceOf(request) === 'public' && !app.stores.posts.isPublic(entry.postId)) throw errors.notFound(`The entry ${request.params.id}`);
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.patch(
    '/api/entries/:id',
    { preHandler: requireUser, bodyLimit: ENTRY_BODY_LIMIT, schema: { params: idParams, body: entryPatch, response: { 200: entrySchema } } },
    async (request, reply) => {
      const entry = await entries.update(request.actor, request.params.id, parseIfMatch(request.headers['if-match']), request.body);
      return reply.header('ETag', `"${entry.version}"`).send(entry);
    },
  );

  app.delete('/api/entries/:id', { preHandler: requireUser, schema: { params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    entries.delete(request.actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.code(204).send(null);
  });

  // --- the desk: history, deleted entries, restore, pin

  app.get('/api/entries/:id/revisions', { preHandler: requireUser, schema: { params: idParams, response: { 200: revisionsOutput } } }, async (request, reply) => {
    return reply.header('Cache-Control', 'no-store').send(await entries.revisions(request.params.id));
  });

  app.get('/api/posts/:slug/deleted', { preHandler: requireUser, schema: { params: slugParams, response: { 200: deletedEntriesOutput } } }, async (request, reply) => {
    const post = posts.bySlug(request.params.slug, 'newsroom');
    return reply.header('Cache-Control', 'no-store').send({ entries: entries.deletedIn(post.id) });
  });

  app.post('/api/entries/:id/restore', { preHandler: requireUser, schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const entry = entries.restore(request.actor, request.params.id, parseIfMatch(request.headers['if-match']));
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.put('/api/entries/:id/pin', { preHandler: requireUser, schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const entry = entries.setPinned(request.actor, request.params.id, true);
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  app.delete('/api/entries/:id/pin', { preHandler: requireUser, schema: { params: idParams, response: { 200: entrySchema } } }, async (request, reply) => {
    const entry = entries.setPinned(request.actor, request.params.id, false);
    return reply.header('ETag', `"${entry.version}"`).send(entry);
  });

  // --- preview

  app.post('/api/preview', { preHandler: requireRole('contributor'), bodyLimit: ENTRY_BODY_LIMIT, schema: { body: previewInput, response: { 200: previewOutput } } }, async (request, reply) => {
    try {
      const html = request.body.body.trim() ? await app.renderer.render(request.body.body) : '';
      return reply.header('Cache-Control', 'no-store').send({ html });
    } catch (error) {
      if (error instanceof RenderError) throw errors.unprocessable('unrenderable-markdown', error.message);
      throw error;
    }
  });
};
