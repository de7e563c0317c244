import fp from 'fastify-plugin';
import { openDatabase, type Db } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { timeTransactions } from '../metrics/sqlite.js';
import { createStores, type Stores } from '../services/context.js';

/**
 * The SQLite database and the stores over it. The server opens DATABASE_PATH itself unless it
 * is handed a connection (tests, the crash harness), migrates it before anything reads, and times
 * its write transactions. A database it opened it also closes, last of all (onClose hooks run in
 * reverse order of registration): the WAL is checkpointed into the main file first, so the file
 * left behind is complete on its own.
 */

declare module 'fastify' {
  interface FastifyInstance {
    stores: Stores;
  }
}

export const databasePlugin = fp<{ db?: Db | undefined }>(
  async (app, { db: given }) => {
    const db = given ?? openDatabase(app.config.storage.databasePath);
    migrate(db);
    timeTransactions(db, app.metrics.sqliteWriteDuration);
    app.decorate('stores', createStores(db, { defaultLanguage: app.config.site.defaultLanguage }));
    if (!given) {
      app.addHook('onClose', async () => {
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.close();
      });
    }
  },
  { name: 'stores', dependencies: ['config', 'metrics'] },
);
