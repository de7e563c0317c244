import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor } from '../../domain/cursor.js';
import { errors } from '../../domain/errors.js';
import { authenticate } from '../auth.js';
import { parseIfMatch } from '../preconditions.js';
import { LiveEdgeCache } from '../live-edge-cache.js';
import { changeSchema, changesQuery, entriesQuery, entrySchema, listPostsQuery, postInput, postSchema, postPatch, slugParams } from '../../../contract/index.js';

/** Public reads are cacheable for a moment; ETags let caches revalidate cheaply. */
const PUBLIC_CACHE = 'public, max-age=1, stale-while-revalidate=5';

const latestOutput = z.object({ post: postSchema, entries: z.array(entrySchema), lastSeq: z.number(), nextCursor: z.string().nullable() });

export const postRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;
  const latestBodies = new LiveEdgeCache<string>();

  app.post('/api/posts', { schema: { body: postInput, response: { 201: postSchema } } }, async (request, reply) => {
    const actor = authenticate(request, app.stores.tokens);
    const post = posts.create(actor, request.body);
    return reply.code(201).header('Location', `/api/posts/${post.slug}`).header('ETag', `"${post.version}"`).send(post);
  });

  app.get('/api/posts', { schema: { querystring: listPostsQuery, response: { 200: z.object({ posts: z.array(postSchema) }) } } }, async (request, reply) => {
    reply.header('Cache-Control', PUBLIC_CACHE);
    return { posts: posts.list(request.query) };
  });

  app.get(
    '/api/posts/:slug',
    {
      schema: {
        params: slugParams,
        response: { 200: latestOutput, 304: z.null() },
      },
    },
    async (request, reply) => {
      const post = posts.bySlug(request.params.slug);
      const etag = `W/"${post.id}-${post.lastSeq}"`;
      reply.header('ETag', etag).header('Cache-Control', PUBLIC_CACHE);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
      let body = latestBodies.get(post.id, post.lastSeq);
      if (body === undefined) {
        const page = posts.withLatestEntries(request.params.slug);
        // Exactly what the route's serializer does (fastify-type-provider-zod: encode, then stringify).
        body = JSON.stringify(z.encode(latestOutput, { ...page, lastSeq: page.post.lastSeq }));
        latestBodies.set(post.id, post.lastSeq, body);
      }
      // A string with a JSON content type is sent as is. The cast: send() is typed for the
      // schema's object, and this string is that object, already serialized.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );

  app.patch('/api/posts/:slug', { schema: { params: slugParams, body: postPatch, response: { 200: postSchema } } }, async (request, reply) => {
    const actor = authenticate(request, app.stores.tokens);
    const post = posts.update(actor, request.params.slug, parseIfMatch(request.headers['if-match']), request.body);
    return reply.header('ETag', `"${post.version}"`).send(post);
  });

  app.get(
    '/api/posts/:slug/entries',
    {
      schema: {
        params: slugParams,
        querystring: entriesQuery,
        response: { 200: z.object({ entries: z.array(entrySchema), nextCursor: z.string().nullable(), lastSeq: z.number() }) },
      },
    },
    async (request, reply) => {
      const { before, limit } = request.query;
      const cursor = before === undefined ? undefined : decodeCursor(before);
      if (before !== undefined && !cursor) {
        throw errors.validation('The cursor is not one this server issued.', [{ field: 'querystring.before', message: 'is not a valid cursor' }]);
      }
      reply.header('Cache-Control', PUBLIC_CACHE);
      return posts.entriesBefore(request.params.slug, cursor, limit);
    },
  );

  app.get(
    '/api/posts/:slug/changes',
    {
      schema: {
        params: slugParams,
        querystring: changesQuery,
        response: { 200: z.object({ changes: z.array(changeSchema), lastSeq: z.number() }) },
      },
    },
    async (request, reply) => {
      const { since, limit } = request.query;
      reply.header('Cache-Control', 'no-cache');
      return posts.changesSince(request.params.slug, since, limit);
    },
  );
};
