import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changesOutput, changesQuery, latestPage, listPostsQuery, postInput, postPatch, postSchema, postsOutput, slugParams } from '../../../../contract/index.js';
import { CATCH_UP_CACHE, POLL_CACHE, PUBLIC_CACHE } from '../../caching.js';
import { CompressibleBody, sendCompressible } from '../../compression.js';
import { LiveEdgeCache } from '../../live-edge-cache.js';
import { requireRole, requireUser } from '../../plugins/auth.js';
import { parseIfMatch } from '../../preconditions.js';
import { audienceOf } from '../../audience.js';

/**
 * Posts over the JSON API: create, list, read (the post with its latest entries, what a reader
 * or the composer loads first), edit, and the change log readers catch up from. The entries of
 * a post have their own routes (routes/entries/).
 */

export const postRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;
  const latestBodies = new LiveEdgeCache();

  app.post('/api/posts', { preHandler: requireUser, schema: { body: postInput, response: { 201: postSchema } } }, async (request, reply) => {
    const post = await posts.create(request.actor, request.body);
    return reply.code(201).header('Location', `/api/posts/${post.slug}`).header('ETag', `"${post.version}"`).send(post);
  });

  app.get('/api/posts', { schema: { querystring: listPostsQuery, response: { 200: postsOutput } } }, async (request, reply) => {
    reply.header('Cache-Control', PUBLIC_CACHE);
    // Drafts too for the newsroom (its answer is private, see audience.ts).
    return { posts: posts.list(request.query, audienceOf(request)) };
  });

  app.get('/api/posts/:slug', { schema: { params: slugParams, response: { 200: latestPage, 304: z.null() } } }, async (request, reply) => {
    const audience = audienceOf(request);
    const post = posts.bySlug(request.params.slug, audience);
    const etag = `W/"${post.id}-${post.lastSeq}"`;
    reply.header('ETag', etag).header('Cache-Control', PUBLIC_CACHE);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
    // A draft post's page is for its desk alone: never kept where a later reader's read could find it.
    const draft = post.status === 'draft';
    let body = draft ? undefined : latestBodies.get(post.id, post.lastSeq);
    if (body === undefined) {
      const page = posts.withLatestEntries(request.params.slug, undefined, audience);
      // Exactly what the route's serializer does (fastify-type-provider-zod: encode, then stringify).
      const json = JSON.stringify(z.encode(latestPage, { ...page, lastSeq: page.post.lastSeq }));
      body = draft || page.post.status === 'draft' ? new CompressibleBody(json) : latestBodies.set(post.id, post.lastSeq, json);
    }
    // A string or buffer with a JSON content type is sent as is, the serializer skipped.
    return sendCompressible(request, reply, body, 'application/json; charset=utf-8');
  });

  app.patch('/api/posts/:slug', { preHandler: requireUser, schema: { params: slugParams, body: postPatch, response: { 200: postSchema } } }, async (request, reply) => {
    const post = await posts.update(request.actor, request.params.slug, parseIfMatch(request.headers['if-match']), request.body);
    return reply.header('ETag', `"${post.version}"`).send(post);
  });

  app.delete('/api/posts/:slug', { preHandler: requireRole('admin'), schema: { params: slugParams, response: { 204: z.null() } } }, async (request, reply) => {
    posts.delete(request.actor, request.params.slug, parseIfMatch(request.headers['if-match']));
    return reply.code(204).send(null);
  });

  app.get('/api/posts/:slug/changes', { schema: { params: slugParams, querystring: changesQuery, response: { 200: changesOutput } } }, async (request, reply) => {
    const { since, limit, poll } = request.query;
    reply.header('Cache-Control', poll ? POLL_CACHE : CATCH_UP_CACHE);
    return posts.changesSince(request.params.slug, since, limit, audienceOf(request));
  });
};
