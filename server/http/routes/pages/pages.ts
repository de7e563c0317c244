import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { AppError } from '../domain/errors.js';
import { postFeed, siteFeed } from '../render/atom.js';
import { homePage, notFoundPage, postPage } from '../render/pages.js';
import { LiveEdgeCache } from './live-edge-cache.js';
import { embedHelmet } from './security.js';
import type { Post } from '../../contract/index.js';
import { slugParams } from '../../contract/index.js';

const HTML = 'text/html; charset=utf-8';
/** Caches may serve a page for a second and revalidate with the ETag; enough to absorb a crowd. */
const PAGE_CACHE = 'public, max-age=1, stale-while-revalidate=5';

/** Answers 304 when the client (or a cache) already holds this version. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('ETag', etag).header('Cache-Control', PAGE_CACHE);
  const match = request.headers['if-none-match'];
  return match !== undefined && match.split(',').some((tag) => tag.trim() === etag);
}

/** Any write to any listed post moves its updatedAt (entries touch their post), and new posts add to the count. */
function listVersion(list: Post[]): string {
  const newest = list.reduce((latest, post) => (post.updatedAt > latest ? post.updatedAt : latest), '');
  return `${list.length}-${newest}`;
}

const pageQuery = z.object({ before: z.string().max(200).optional() });

export const pageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;
  /** Absolute URLs need an origin: PUBLIC_URL when configured, else the request's own. */
  const baseUrl = (request: FastifyRequest) => app.config.http.publicUrl ?? `${request.protocol}://${request.host}`;

  app.get('/', async (request, reply) => {
    const list = posts.list({ limit: 200 });
    if (notModified(request, reply, `W/"home-${listVersion(list)}-${app.assets.version}"`)) return reply.code(304).send();
    return reply.type(HTML).send(homePage(list, app.assets, `${baseUrl(request)}/`));
  });

  // Keyed by what else shapes the page (origin, embed); versioned by its ETag.
  const liveEdges = new LiveEdgeCache<string, string>(200);

  const renderPost = (embed: boolean) => async (request: FastifyRequest<{ Params: { slug: string }; Querystring: { before?: string | undefined } }>, reply: FastifyReply) => {
    const { slug } = request.params;
    // A cursor this server did not issue is ignored: the reader gets the live edge.
    const cursor = request.query.before === undefined ? undefined : decodeCursor(request.query.before);
    try {
      const post = posts.bySlug(slug);
      const older = cursor ? `-${encodeCursor(cursor)}` : '';
      const etag = `W/"${post.id}-${post.lastSeq}-${post.version}-${app.assets.version}${embed ? '-embed' : ''}${older}"`;
      if (notModified(request, reply, etag)) return reply.code(304).send();
      const url = `${baseUrl(request)}/posts/${post.slug}`;
      const cacheKey = cursor ? undefined : `${post.id}|${embed}|${url}`;
      const cached = cacheKey && liveEdges.get(cacheKey, etag);
      if (cached) return reply.type(HTML).send(cached);
      const page = cursor ? posts.entriesBefore(slug, cursor, 50) : posts.withLatestEntries(slug);
      const html = postPage({ post, ...page, ...posts.highlights(post), older: Boolean(cursor), url, embed }, app.assets);
      if (cacheKey) liveEdges.set(cacheKey, etag, html);
      return reply.type(HTML).send(html);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        // A renamed post keeps its old links working.
        const moved = posts.movedTo(slug);
        if (moved) {
          const query = request.query.before ? `?before=${encodeURIComponent(request.query.before)}` : '';
          return reply.redirect(`/posts/${moved}${embed ? '/embed' : ''}${query}`, 301);
        }
        return reply.code(404).type(HTML).send(notFoundPage(app.assets));
      }
      throw error;
    }
  };

  app.get('/posts/:slug', { schema: { params: slugParams, querystring: pageQuery } }, renderPost(false));
  // The same strict policy as every page, except that the configured sites (and this one) may frame it.
  app.get('/posts/:slug/embed', { schema: { params: slugParams, querystring: pageQuery }, helmet: embedHelmet(app.config, app.config.http.embedOrigins) }, renderPost(true));

  app.get('/posts/:slug/feed.atom', { schema: { params: slugParams } }, async (request, reply) => {
    const { post, entries } = posts.withLatestEntries(request.params.slug);
    if (notModified(request, reply, `W/"feed-${post.id}-${post.lastSeq}-${post.version}"`)) return reply.code(304).send();
    return reply.type('application/atom+xml; charset=utf-8').send(postFeed(post, entries, baseUrl(request)));
  });

  app.get('/feed.atom', async (request, reply) => {
    const list = posts.list({ limit: 50 });
    if (notModified(request, reply, `W/"site-feed-${listVersion(list)}"`)) return reply.code(304).send();
    return reply.type('application/atom+xml; charset=utf-8').send(siteFeed(list, baseUrl(request)));
  });
};
