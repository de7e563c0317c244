import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchOutput, searchQuery, slugParams } from '../../../../contract/index.js';
import { notModified } from '../../caching.js';
import { audienceOf } from '../../audience.js';

/**
 * Find-in-post: `GET /api/posts/:slug/search?q=…&limit=…`, the words of `q` in the post's live
 * entries. Public, like the entries listing it mirrors (the same post lookup, the same live
 * entries): it answers nothing a reader could not page to, and names no account. Cached like the
 * other public reads; the ETag is the post's lastSeq, which every entry change moves, so asking
 * again before anything changed costs a 304 and no search.
 */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts, search } = app.services;

  app.get('/api/posts/:slug/search', { schema: { params: slugParams, querystring: searchQuery, response: { 200: searchOutput, 304: z.null() } } }, async (request, reply) => {
    // The desk's "Find in this post" of a draft post too (a private answer); readers never find one.
    const post = posts.bySlug(request.params.slug, audienceOf(request));
    if (notModified(request, reply, `W/"search-${post.id}-${post.lastSeq}"`)) return reply.code(304).send(null);
    return search.inPost(post, request.query);
  });
};
