import fp from 'fastify-plugin';
import { PollService } from '../services/polls.js';
import { ReactionService, type ReactionTiming } from '../services/reactions.js';
import { PollStore } from '../store/polls.js';
import { ReactionStore } from '../store/reactions.js';

/**
 * Readers taking part (issue 19): the reaction and poll services over their stores, sending their
 * batched `reactions` and `polls` events through the realtime node. On close, what is queued is written before the
 * database closes (onClose hooks run in reverse order of registration; this one is registered
 * after the database's).
 */

declare module 'fastify' {
  interface FastifyInstance {
    participation: { reactions: ReactionService; polls: PollService };
  }
}

export const participationPlugin = fp<{ timing?: ReactionTiming }>(
  async (app, { timing }) => {
    const reactions = new ReactionService(app.stores, new ReactionStore(app.stores.db), (postId, event, payload) => app.realtime.signal(postId, event, payload), app.log, timing);
    const polls = new PollService(app.stores, new PollStore(app.stores.db), app.services.entries, (postId, event, payload) => app.realtime.signal(postId, event, payload), app.log, timing?.flushMs);
    app.decorate('participation', { reactions, polls });
    app.addHook('onClose', async () => {
      reactions.close();
      polls.shutdown();
    });
  },
  { name: 'participation', dependencies: ['stores', 'services'] },
);
