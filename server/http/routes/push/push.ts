import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pushKey, pushSubscribeInput, pushUnsubscribeInput, slugParams } from '../../../../contract/index.js';
import { readerLimit } from '../reactions/reactions.js';

/**
 * Web Push alerts (issue 19): the server's public VAPID key, readers opting in and out per post,
 * and the readers' service worker. That worker lives at /push/sw.js with the scope /push/, which
 * holds no page: it never sees a reader's requests, it only shows alerts and opens their entry.
 */

const READER_SERVICE_WORKER = `// Liveline's reader service worker (issue 19): shows key-moment alerts, nothing else.
self.addEventListener('push', (event) => {
  let alert = {};
  try { alert = event.data ? event.data.json() : {}; } catch { alert = {}; }
  const title = typeof alert.title === 'string' ? alert.title : 'Liveline';
  event.waitUntil(self.registration.showNotification(title, { body: typeof alert.body === 'string' ? alert.body : '', tag: typeof alert.tag === 'string' ? alert.tag : undefined, data: { url: typeof alert.url === 'string' ? alert.url : '/' } }));
});
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = new URL(event.notification.data && event.notification.data.url || '/', self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(self.clients.openWindow(url.href));
});
`;

export const pushRoutes: FastifyPluginAsyncZod = async (app) => {
  const { push } = app.participation;
  const limit = readerLimit(app);

  app.get('/push/sw.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('Cache-Control', 'no-cache').header('Service-Worker-Allowed', '/push/').send(READER_SERVICE_WORKER),
  );

  app.get('/api/push/key', { schema: { response: { 200: pushKey } } }, async (_request, reply) => reply.header('Cache-Control', 'public, max-age=3600').send({ publicKey: push.publicKey }));

  app.post(
    '/api/posts/:slug/push',
    { config: { rateLimit: false }, preHandler: limit, schema: { params: slugParams, body: pushSubscribeInput, response: { 201: z.object({ subscribed: z.literal(true) }) } } },
    async (request, reply) => {
      const post = app.services.posts.bySlug(request.params.slug);
      push.subscribe(post.id, request.body.subscription);
      return reply.code(201).header('Cache-Control', 'no-store').send({ subscribed: true });
    },
  );

  app.delete(
    '/api/posts/:slug/push',
    { config: { rateLimit: false }, preHandler: limit, schema: { params: slugParams, body: pushUnsubscribeInput, response: { 204: z.null() } } },
    async (request, reply) => {
      const post = app.services.posts.bySlug(request.params.slug);
      push.unsubscribe(post.id, request.body.endpoint);
      return reply.code(204).send(null);
    },
  );
};
