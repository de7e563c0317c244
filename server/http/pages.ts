import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import { homePage, notFoundPage, postPage } from '../render/pages.js';
import { slugParams } from './schemas.js';

const HTML = 'text/html; charset=utf-8';
const LIVE_EDGE_CACHE_POSTS = 100;

export const pageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;
  /**
   * Rendered live edges by post id. Every change to a post or its entries bumps its lastSeq in the
   * same transaction, so (id, lastSeq) names the page exactly, as the ETag already assumes.
   * Rendering 50 entries per request capped the page at a fraction of static-file throughput (bench/README.md).
   */
  const liveEdgeCache = new Map<number, { lastSeq: number; html: string }>();
  const rememberLiveEdge = (postId: number, lastSeq: number, html: string) => {
    liveEdgeCache.delete(postId);
    // Oldest first in a Map: a bounded cache of the most recently rendered posts.
    if (liveEdgeCache.size >= LIVE_EDGE_CACHE_POSTS) liveEdgeCache.delete(liveEdgeCache.keys().next().value as number);
    liveEdgeCache.set(postId, { lastSeq, html });
  };

  app.get('/', async (_request, reply) => {
    reply.header('Cache-Control', 'public, max-age=1, stale-while-revalidate=5');
    return reply.type(HTML).send(homePage(posts.list({ limit: 200 }), app.assets));
  });

  app.get(
    '/posts/:slug',
    { schema: { params: slugParams, querystring: z.object({ before: z.string().max(200).optional() }) } },
    async (request, reply) => {
      const { slug } = request.params;
      const cursor = request.query.before === undefined ? undefined : decodeCursor(request.query.before);
      try {
        if (!cursor) {
          // The live edge is what every reader loads: serve it from the cache while lastSeq stands.
          const post = posts.bySlug(slug);
          const etag = `W/"${post.id}-${post.lastSeq}-"`;
          reply.header('ETag', etag).header('Cache-Control', 'public, max-age=1, stale-while-revalidate=5');
          if (request.headers['if-none-match'] === etag) return reply.code(304).send();
          const cached = liveEdgeCache.get(post.id);
          if (cached?.lastSeq === post.lastSeq) return reply.type(HTML).send(cached.html);
        }
        const model = cursor
          ? { post: posts.bySlug(slug), ...posts.entriesBefore(slug, cursor, 50), older: true }
          : { ...posts.withLatestEntries(slug), older: false };
        const etag = `W/"${model.post.id}-${model.post.lastSeq}-${request.query.before ?? ''}"`;
        reply.header('ETag', etag).header('Cache-Control', 'public, max-age=1, stale-while-revalidate=5');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        const canonical = app.config.publicUrl ? `${app.config.publicUrl}/posts/${slug}` : undefined;
        const page = postPage({ ...model, canonical }, app.assets);
        if (!cursor) rememberLiveEdge(model.post.id, model.post.lastSeq, page);
        return reply.type(HTML).send(page);
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return reply.code(404).type(HTML).send(notFoundPage(app.assets));
        throw error;
      }
    },
  );
};
