import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { slugParams } from '../../../../contract/index.js';
import { postFeed, siteFeed } from '../../../render/atom.js';
import { notModified, postListVersion } from '../../caching.js';
import { publicOrigin } from '../../public-origin.js';

/** Atom feeds, for feed readers and for sites that syndicate: one per post, and one for the whole site. */

const ATOM = 'application/atom+xml; charset=utf-8';

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;

  app.get('/posts/:slug/feed.atom', { schema: { params: slugParams } }, async (request, reply) => {
    const { post, entries } = posts.withLatestEntries(request.params.slug);
    if (notModified(request, reply, `W/"feed-${post.id}-${post.lastSeq}-${post.version}"`)) return reply.code(304).send();
    return reply.type(ATOM).send(postFeed(post, entries, publicOrigin(request)));
  });

  app.get('/feed.atom', async (request, reply) => {
    const list = posts.list({ limit: 50 });
    if (notModified(request, reply, `W/"site-feed-${postListVersion(list)}"`)) return reply.code(304).send();
    return reply.type(ATOM).send(siteFeed(list, publicOrigin(request)));
  });
};
