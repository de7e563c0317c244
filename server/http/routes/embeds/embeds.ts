import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { oembedQuery, oembedResponse } from '../../../../contract/index.js';
import { AppError, errors } from '../../../domain/errors.js';
import { CLIENT_DIST } from '../../../render/assets.js';
import { EMBED_DEFAULT_SIZE, embedMarkup } from '../../../render/embed.js';
import { CompressibleBody, sendCompressible } from '../../compression.js';
import { publicOrigin } from '../../public-origin.js';

/**
 * Putting a live post on other sites (issue 15, "Embeds on other sites"):
 * - `GET /embed.js`: the partner page's script that sizes the embed iframe to its content. A
 *   stable URL (the snippet names it), so it is cached for an hour, not forever; other origins
 *   may load it (Cross-Origin-Resource-Policy: cross-origin).
 * - `GET /oembed?url=…`: Liveline as an oEmbed provider, so a CMS embeds a post from its pasted
 *   URL. Only this site's post URLs are answered (404 otherwise); JSON only (501 for `xml`, as the
 *   specification asks). Public data, so any origin may read it (CORS *).
 */

const POST_PATH = /^\/posts\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/embed)?\/?$/;

export const embedRoutes: FastifyPluginAsyncZod = async (app) => {
  const { posts } = app.services;
  const file = app.assets.url('embed.js')?.replace('/assets/', '');
  const script = file && existsSync(join(CLIENT_DIST, file)) ? new CompressibleBody(readFileSync(join(CLIENT_DIST, file), 'utf8')) : undefined;

  app.get('/embed.js', async (request, reply) => {
    if (!script) throw errors.notFound('The embed script (run `npm run build`)');
    reply.header('Cache-Control', 'public, max-age=3600').header('Cross-Origin-Resource-Policy', 'cross-origin').header('Access-Control-Allow-Origin', '*');
    return sendCompressible(request, reply, script, 'text/javascript; charset=utf-8');
  });

  app.get('/oembed', { schema: { querystring: oembedQuery, response: { 200: oembedResponse } } }, async (request, reply) => {
    const { url, format, maxwidth, maxheight } = request.query;
    reply.header('Access-Control-Allow-Origin', '*');
    if (format === 'xml') throw errors.notImplemented('oembed-format', 'Only format=json is served.');
    const origin = publicOrigin(request);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw errors.notFound(`An embeddable post at "${url}"`);
    }
    const slug = target.origin === origin ? POST_PATH.exec(target.pathname)?.[1] : undefined;
    if (!slug) throw errors.notFound(`An embeddable post at "${url}"`);
    let post;
    try {
      post = posts.bySlug(slug);
    } catch (error) {
      // A link pasted before a rename still embeds the post.
      const moved = error instanceof AppError && error.status === 404 ? posts.movedTo(slug) : undefined;
      if (!moved) throw error;
      post = posts.bySlug(moved);
    }
    const width = Math.min(maxwidth ?? EMBED_DEFAULT_SIZE.width, EMBED_DEFAULT_SIZE.width * 2);
    const height = Math.min(maxheight ?? EMBED_DEFAULT_SIZE.height, EMBED_DEFAULT_SIZE.height * 2);
    reply.header('Cache-Control', 'public, max-age=300');
    return {
      version: '1.0' as const,
      type: 'rich' as const,
      title: post.title,
      provider_name: app.services.site.get().name,
      provider_url: `${origin}/`,
      html: embedMarkup(post, origin, { width, height }),
      width,
      height,
      cache_age: 300,
    };
  });
};
