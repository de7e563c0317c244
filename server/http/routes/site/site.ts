import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { siteInput, siteSettings } from '../../../../contract/index.js';
import { brandStylesheet } from '../../../render/site.js';
import { requireRole } from '../../plugins/auth.js';
import { parseIfMatch } from '../../preconditions.js';

/**
 * The site's branding: `GET /api/site` and `PUT /api/site` (admins; PUT with If-Match, a 422
 * `accent-contrast` for an accent below 4.5:1), and `GET /site.css`, the stylesheet that applies
 * it to the reader pages, the embed and the newsroom. Pages link `/site.css?v=<version>`: that
 * URL's answer never changes, so browsers keep it; any other asks again every time.
 */
const CSS = 'text/css; charset=utf-8';

export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { site } = app.services;

  app.get('/api/site', { preHandler: requireRole('admin'), schema: { response: { 200: siteSettings } } }, async (_request, reply) => {
    const settings = site.get();
    return reply.header('ETag', `"${settings.version}"`).header('Cache-Control', 'private, no-store').send(settings);
  });

  app.put('/api/site', { preHandler: requireRole('admin'), schema: { body: siteInput, response: { 200: siteSettings } } }, async (request, reply) => {
    const settings = site.update(request.actor, parseIfMatch(request.headers['if-match']), request.body);
    return reply.header('ETag', `"${settings.version}"`).send(settings);
  });

  app.get('/site.css', { schema: { querystring: z.object({ v: z.string().max(20).optional() }) } }, async (request, reply) => {
    const settings = site.get();
    const current = request.query.v === String(settings.version);
    reply.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache').header('ETag', `W/"site-${settings.version}"`);
    if (request.headers['if-none-match'] === `W/"site-${settings.version}"`) return reply.code(304).send();
    return reply.type(CSS).send(brandStylesheet(settings));
  });
};
