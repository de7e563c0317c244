import fp from 'fastify-plugin';
import { nodeSettingsFrom } from '../realtime/node.js';
import { SocketGuards } from '../realtime/guards.js';
import { NewsroomSocket } from '../realtime/newsroom.js';
import { DraftService } from '../services/drafts.js';
import { EntryScheduler } from '../services/entry-scheduler.js';
import { DraftStore } from '../store/drafts.js';
import type { Publisher } from '../services/publisher.js';

/**
 * Entries before they are public (issue 17), wired on the primary only (app.ts; a fan-out node
 * never loads this): the drafts' store and service, the newsroom socket their changes go to, and
 * the scheduler that publishes scheduled entries, started once the server is ready (everything
 * already due first) and stopped before the database closes.
 */

declare module 'fastify' {
  interface FastifyInstance {
    drafts: DraftService;
    newsroomSocket: NewsroomSocket;
  }
}

export const draftsPlugin = fp<{ publisher: Publisher }>(
  async (app, { publisher }) => {
    const { stores, config } = app;
    const guards = new SocketGuards(nodeSettingsFrom(config).guards, app.log);
    let drafts: DraftService | undefined;
    const socket = new NewsroomSocket({
      httpServer: app.server,
      stores,
      guards,
      log: app.log,
      draftsFor: (actor, postId) => drafts?.visibleIn(actor, postId) ?? [],
    });
    drafts = new DraftService({
      stores,
      drafts: new DraftStore(stores.db),
      // The same publisher as every other write (app.ts): readers, Web Push alerts for key
      // moments, the webhook outbox's wake-up, all behind the draft-post gate (issue 17).
      publisher,
      renderer: app.renderer,
      importParser: app.importParser,
      desk: socket,
    });
    const scheduler = new EntryScheduler(drafts, app.log);
    app.decorate('drafts', drafts);
    app.decorate('newsroomSocket', socket);
    app.draftPosts.followWith(socket.follow);
    app.addHook('onReady', async () => scheduler.start());
    app.addHook('preClose', async () => {
      scheduler.stop();
      await socket.close();
    });
  },
  { name: 'drafts', dependencies: ['stores', 'renderer', 'import-parser'] },
);
