import type { Agent } from 'node:https';
import fp from 'fastify-plugin';
import { InsightsService, SAMPLE_MS } from '../services/insights.js';
import { PollService } from '../services/polls.js';
import type { Publisher } from '../services/publisher.js';
import { PushService } from '../services/push.js';
import { QuestionService } from '../services/questions.js';
import { ReactionService, type ReactionTiming } from '../services/reactions.js';
import { InsightsStore } from '../store/insights.js';
import { PollStore } from '../store/polls.js';
import { PushStore } from '../store/push.js';
import { QuestionStore } from '../store/questions.js';
import { ReactionStore } from '../store/reactions.js';

/**
 * Readers taking part (issue 19): the reaction and poll services over their stores, sending their
 * batched `reactions` and `polls` events through the realtime node. On close, what is queued is written before the
 * database closes (onClose hooks run in reverse order of registration; this one is registered
 * after the database's).
 */

declare module 'fastify' {
  interface FastifyInstance {
    participation: { reactions: ReactionService; polls: PollService; questions: QuestionService; push: PushService; insights: InsightsService };
  }
}

export const participationPlugin = fp<{ timing?: ReactionTiming; pushAgent?: Agent }>(
  async (app, { timing, pushAgent }) => {
    const settings = new ReactionStore(app.stores.db);
    const reactions = new ReactionService(app.stores, settings, (postId, event, payload) => app.realtime.signal(postId, event, payload), app.log, timing);
    const polls = new PollService(app.stores, new PollStore(app.stores.db), app.services.entries, (postId, event, payload) => app.realtime.signal(postId, event, payload), app.log, timing?.flushMs);
    const { questionMinMs, questionRetentionMs } = app.config.participation;
    const questions = new QuestionService(app.stores, new QuestionStore(app.stores.db), settings, app.services.entries, { minMs: questionMinMs, retentionMs: questionRetentionMs });
    const push = new PushService(app.stores, new PushStore(app.stores.db), { ...app.config.participation.push, ...(pushAgent ? { agent: pushAgent } : {}) }, app.log);
    const insights = new InsightsService(app.stores, new InsightsStore(app.stores.db), polls);
    app.decorate('participation', { reactions, polls, questions, push, insights });
    // Readers over time: presence's counts (summed across nodes), sampled every few seconds.
    const sampler = setInterval(() => {
      try {
        insights.sample(app.realtime.readers());
      } catch (error) {
        app.log.error({ err: error }, 'sampling reader counts failed');
      }
    }, SAMPLE_MS);
    sampler.unref();
    // Questions are personal data: older than QUESTION_RETENTION, they go (at start, then hourly).
    const purge = () => {
      try {
        const purged = questions.purge();
        if (purged > 0) app.log.info({ purged }, `deleted ${purged} reader question(s) past QUESTION_RETENTION`);
      } catch (error) {
        app.log.error({ err: error }, 'purging old reader questions failed; the next hour tries again');
      }
    };
    purge();
    const purgeTimer = setInterval(purge, Math.min(3_600_000, questionRetentionMs));
    purgeTimer.unref();
    app.addHook('onClose', async () => {
      clearInterval(purgeTimer);
      clearInterval(sampler);
      reactions.close();
      polls.shutdown();
      await push.settled();
    });
  },
  { name: 'participation', dependencies: ['stores', 'services'] },
);

/**
 * The primary's publisher, also telling the push service of each committed change (key moments,
 * a post going live). Push never holds up or breaks a publish: it sends in the background.
 */
export function withAlerts(publisher: Publisher, push: () => PushService | undefined): Publisher {
  return {
    publish(change) {
      publisher.publish(change);
      push()?.observe(change);
    },
  };
}
