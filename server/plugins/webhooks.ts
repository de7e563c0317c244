import fp from 'fastify-plugin';
import { WebhookStore } from '../store/webhooks.js';
import { WebhookDeliverer } from '../syndication/deliverer.js';
import { Webhooks } from '../syndication/webhooks.js';

/**
 * Webhooks on the primary: the endpoints' store, the admins' use cases and the deliverer, which
 * starts when the server is ready and stops before the database closes. Fan-out nodes never
 * register this: only the primary delivers.
 */

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: { service: Webhooks; deliverer: WebhookDeliverer };
  }
}

export const webhooksPlugin = fp(
  async (app) => {
    const settings = app.config.syndication.webhooks;
    const store = new WebhookStore(app.stores.db);
    const deliverer = new WebhookDeliverer({
      store,
      settings,
      log: app.log.child({ module: 'webhooks' }),
      onAttempt: (delivered) => app.metrics.webhookAttempts.inc({ result: delivered ? 'delivered' : 'failed' }),
    });
    const service = new Webhooks({ store, posts: app.stores.posts, audit: app.stores.audit, settings, wake: () => deliverer.wake() });
    app.decorate('webhooks', { service, deliverer });
    app.addHook('onReady', async () => deliverer.start());
    app.addHook('preClose', async () => deliverer.stop());
  },
  { name: 'webhooks', dependencies: ['stores', 'metrics'] },
);
