import fp from 'fastify-plugin';
import { ReactionService, type ReactionTiming } from '../services/reactions.js';
import { ReactionStore } from '../store/reactions.js';

/**
 * Readers taking part (issue 19): the reaction service over its store, sending its batched
 * `reactions` events through the realtime node. On close, what is queued is written before the
 * database closes (onClose hooks run in reverse order of registration; this one is registered
 * after the database's).
 */

declare module 'fastify' {
  interface FastifyInstance {
    participation: { reactions: ReactionService };
  }
}

export const participationPlugin = fp<{ timing?: ReactionTiming }>(
  async (app, { timing }) => {
    const reactions = new ReactionService(app.stores, new ReactionStore(app.stores.db), (postId, event, payload) => app.realtime.signal(postId, event, payload), app.log, timing);
    app.decorate('participation', { reactions });
    app.addHook('onClose', async () => reactions.close());
  },
  { name: 'participation', dependencies: ['stores'] },
);
