import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { slugParams } from '../../../../contract/index.js';
import { insightsPage } from '../../../render/insights.js';
import { currentSession, requireUser } from '../../plugins/auth.js';
import { noFraming } from '../../plugins/security-headers.js';

/**
 * Insights (issue 19): the desk's charts and the after-event report, one newsroom page
 * (/admin/posts/:slug/insights, logged in only, SVG drawn on the server), and the same figures as
 * JSON for scripts. Counts only: nothing here is about any one reader.
 */
export const insightsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { insights } = app.participation;

  app.get('/admin/posts/:slug/insights', { schema: { params: slugParams } }, async (request, reply) => {
    const session = currentSession(request);
    if (!session) return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    noFraming(reply);
    const report = insights.report(request.params.slug);
    return reply
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(insightsPage(app.assets, session.actor, session.csrfToken, report, new Date(), app.services.site.get()));
  });

  app.get('/api/posts/:slug/insights', { preHandler: requireUser, schema: { params: slugParams } }, async (request, reply) => {
    const { post, ...figures } = insights.report(request.params.slug);
    return reply.header('Cache-Control', 'no-store').send({ slug: post.slug, ...figures });
  });
};
