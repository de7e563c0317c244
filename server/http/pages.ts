import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import { homePage, notFoundPage, postPage } from '../render/pages.js';
import { slugParams } from './schemas.js';

const HTML = 'text/html; charset=utf-8';

export const pageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;

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
        const model = cursor
          ? { post: posts.bySlug(slug), ...posts.entriesBefore(slug, cursor, 50), older: true }
          : { ...posts.withLatestEntries(slug), older: false };
        // From the decoded cursor, never the raw query: arbitrary text is not a valid header value.
        const etag = `W/"${model.post.id}-${model.post.lastSeq}-${cursor ? encodeCursor(cursor) : ''}"`;
        reply.header('ETag', etag).header('Cache-Control', 'public, max-age=1, stale-while-revalidate=5');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        const canonical = app.config.publicUrl ? `${app.config.publicUrl}/posts/${slug}` : undefined;
        return reply.type(HTML).send(postPage({ ...model, canonical }, app.assets));
      } catch (error) {
        if (error instanceof AppError && error.status === 404) return reply.code(404).type(HTML).send(notFoundPage(app.assets));
        throw error;
      }
    },
  );
};
