import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../domain/errors.js';
import { adminHomePage, composerPage, usersPage } from '../render/newsroom.js';
import { notFoundPage } from '../render/pages.js';
import type { SessionActor } from '../store/sessions.js';
import { currentSession } from './auth.js';
import { slugParams } from '../../contract/index.js';

const HTML = 'text/html; charset=utf-8';

/** Newsroom pages act with the user's authority: never let another site frame them (clickjacking). */
export function noFraming(reply: FastifyReply): void {
  reply.header('X-Frame-Options', 'DENY').header('Content-Security-Policy', "frame-ancestors 'none'");
}

/** Newsroom pages: logged-in users only; anyone else is sent to the login page (and back after). */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const requireSession = (request: FastifyRequest, reply: FastifyReply): SessionActor | undefined => {
    const session = currentSession(request);
    if (!session) {
      void reply.redirect(app.services.users.needsSetup() ? '/setup' : `/login?next=${encodeURIComponent(request.url)}`, 303);
      return undefined;
    }
    reply.header('Cache-Control', 'no-store');
    noFraming(reply);
    return session;
  };

  app.get('/admin', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    return reply.type(HTML).send(adminHomePage(app.assets, session.actor, session.csrfToken, app.services.posts.list({ limit: 200 })));
  });

  app.get('/admin/posts/:slug', { schema: { params: slugParams } }, async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    try {
      const post = app.services.posts.bySlug(request.params.slug);
      const publicBase = app.config.http.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.type(HTML).send(composerPage(app.assets, session.actor, session.csrfToken, post, publicBase));
    } catch (error) {
      if (error instanceof AppError && error.status === 404) {
        const moved = app.services.posts.movedTo(request.params.slug);
        if (moved) return reply.redirect(`/admin/posts/${moved}`, 301);
        return reply.code(404).type(HTML).send(notFoundPage(app.assets));
      }
      throw error;
    }
  });

  app.get('/admin/users', async (request, reply) => {
    const session = requireSession(request, reply);
    if (!session) return reply;
    if (session.actor.role !== 'admin') return reply.code(403).type(HTML).send(notFoundPage(app.assets));
    return reply.type(HTML).send(usersPage(app.assets, session.actor, session.csrfToken));
  });
};
