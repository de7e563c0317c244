import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { slugParams } from '../../../../contract/index.js';
import { AppError } from '../../../domain/errors.js';
import { adminHomePage, composerPage, profilePage, sitePage, usersPage, webhooksPage } from '../../../render/newsroom.js';
import { notFoundPage } from '../../../render/pages.js';
import type { SessionActor } from '../../../store/sessions.js';
import { currentSession } from '../../plugins/auth.js';
import { newsroomLinkEmbedPolicy } from '../../../render/link-embeds/policy.js';
import { allowLinkEmbeds, noFraming } from '../../plugins/security-headers.js';
import { publicOrigin } from '../../public-origin.js';

/**
 * The newsroom's pages: the post list, a post's composer, the users page. Logged-in users only:
 * the hook below sends anyone else to the login page (and back after), or to /setup on a fresh
 * install. These pages act with the user's authority, so they are never cached or framed (only the
 * newsroom's own service worker keeps composer pages for offline use, per user, purged when the
 * session ends: client/newsroom/sw.ts). Their writes go through the JSON API with the session's
 * CSRF token, which the pages carry.
 */

const HTML = 'text/html; charset=utf-8';

export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook('preHandler', async (request, reply) => {
    const session = currentSession(request);
    if (!session) return reply.redirect(app.services.users.needsSetup() ? '/setup' : `/login?next=${encodeURIComponent(request.url)}`, 303);
    reply.header('Cache-Control', 'no-store');
    // Whose page this is, for the service worker that keeps composer pages per user (client/newsroom/offline-cache.ts).
    reply.header('Liveline-User', String(session.actor.id));
    noFraming(reply);
  });

  app.get('/admin', async (request, reply) => {
    const { actor, csrfToken } = sessionOf(request);
    return reply.type(HTML).send(adminHomePage(app.assets, actor, csrfToken, app.services.posts.withActivity(200), new Date(), app.services.site.get()));
  });

  app.get('/admin/posts/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const { actor, csrfToken } = sessionOf(request);
    try {
      // The newsroom's composer: a draft post's desk too (issue 17).
      const post = app.services.posts.bySlug(request.params.slug, 'newsroom');
      const site = app.services.site.get();
      const linkEmbeds = newsroomLinkEmbedPolicy(site.linkEmbeds);
      allowLinkEmbeds(reply, app.config, linkEmbeds);
      return reply.type(HTML).send(composerPage(app.assets, actor, csrfToken, post, publicOrigin(request), app.config.http.embedOrigins, site, { ...linkEmbeds, enabled: site.linkEmbeds.enabled }));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        const moved = app.services.posts.movedTo(request.params.slug, 'newsroom');
        if (moved) return reply.redirect(`/admin/posts/${moved}`, 301);
        return reply.code(404).type(HTML).send(notFoundPage(app.assets));
      }
      throw error;
    }
  });

  // Everyone's own byline (issue 17), whatever their role.
  app.get('/admin/profile', async (request, reply) => {
    const { actor, csrfToken } = sessionOf(request);
    return reply.type(HTML).send(profilePage(app.assets, actor, csrfToken, app.stores.profiles.byId(actor.id)!, app.services.site.get()));
  });

  app.get('/admin/users', async (request, reply) => {
    const { actor, csrfToken } = sessionOf(request);
    if (actor.role !== 'admin') return reply.code(403).type(HTML).send(notFoundPage(app.assets));
    return reply.type(HTML).send(usersPage(app.assets, actor, csrfToken, app.services.site.get()));
  });

  app.get('/admin/site', async (request, reply) => {
    const { actor, csrfToken } = sessionOf(request);
    if (actor.role !== 'admin') return reply.code(403).type(HTML).send(notFoundPage(app.assets));
    return reply.type(HTML).send(sitePage(app.assets, actor, csrfToken, app.services.site.get()));
  });

  app.get('/admin/webhooks', async (request, reply) => {
    const { actor, csrfToken } = sessionOf(request);
    if (actor.role !== 'admin') return reply.code(403).type(HTML).send(notFoundPage(app.assets));
    return reply.type(HTML).send(webhooksPage(app.assets, actor, csrfToken, app.services.posts.withActivity(200), app.services.site.get()));
  });
};

/** The session the hook found; the hook has redirected every request without one. */
function sessionOf(request: FastifyRequest): SessionActor {
  const session = currentSession(request);
  if (!session) throw new Error('a newsroom page ran without a session');
  return session;
}
