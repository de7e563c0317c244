import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { slugParams } from '../../../../contract/index.js';
import { postFeed, siteFeed } from '../../../render/atom.js';
import { notModified, postListVersion } from '../../caching.js';
import { sendCompressible } from '../../compression.js';
import { LiveEdgeCache } from '../../live-edge-cache.js';
import { publicOrigin } from '../../public-origin.js';

/** Atom feeds, for feed readers and for sites that syndicate: one per post, and one for the whole site. */

const ATOM = 'application/atom+xml; charset=utf-8';

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;

  // Rendered once per change, like the page (bounded in bytes, keyed by post).
  const feeds = new LiveEdgeCache();

  app.get('/posts/:slug/feed.atom', { schema: { params: slugParams } }, async (request, reply) => {
    const post = posts.bySlug(request.params.slug);
    const site = app.services.site.get();
    const etag = `W/"feed-${post.id}-${post.lastSeq}-${post.version}-s${site.version}-${post.language}"`;
    if (notModified(request, reply, etag)) return reply.code(304).send();
    let feed = feeds.get(post.id, etag);
    if (feed === undefined) {
      const latest = posts.withLatestEntries(request.params.slug);
      feed = feeds.set(post.id, etag, postFeed(latest.post, latest.entries, publicOrigin(request), site));
    }
    return sendCompressible(request, reply, feed, ATOM);
  });

  app.get('/feed.atom', async (request, reply) => {
    const list = posts.list({ limit: 50 });
    const { name, version } = app.services.site.get();
    const site = { name, version, language: app.config.site.defaultLanguage };
    if (notModified(request, reply, `W/"site-feed-${postListVersion(list)}-s${site.version}-${site.language}"`)) return reply.code(304).send();
    return reply.type(ATOM).send(siteFeed(list, publicOrigin(request), site));
  });
};
