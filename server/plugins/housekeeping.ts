import fp from 'fastify-plugin';
import { BackupScheduler } from '../db/backup.js';
import { collectUnusedUploads } from '../media/collection.js';
import { UploadDirectory } from '../media/storage.js';
import { IDEMPOTENCY_TTL_MS } from '../services/entries.js';

/**
 * What the server does on a timer: every hour it forgets expired idempotency keys and sessions
 * and deletes uploads nothing has used for UPLOAD_GRACE_PERIOD (media/collection.ts), and, with
 * BACKUP_DIR, it takes scheduled online backups. Both stop on close, before the
 * database closes (registered after it, so closed before it), a backup in progress included.
 */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

export const housekeepingPlugin = fp(
  async (app) => {
    const { stores } = app;
    const uploads = new UploadDirectory(app.config.storage.uploads.dir);
    const purge = setInterval(() => {
      const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
      stores.idempotency.purgeOlderThan(cutoff);
      stores.sessions.purgeExpired(new Date().toISOString());
      try {
        const collected = collectUnusedUploads(stores.db, stores.uploads, uploads, app.config.storage.uploads.graceMs);
        const count = collected.unused.length + collected.orphans.length + collected.abandoned.length;
        if (count > 0) app.log.info(collected, `deleted ${count} unused upload file(s)`);
      } catch (error) {
        // A busy database or a file that will not go: the next hour tries again.
        app.log.error({ err: error }, 'collecting unused uploads failed');
      }
    }, PURGE_INTERVAL_MS);
    purge.unref();
    app.addHook('onClose', async () => clearInterval(purge));

    const { backup } = app.config.storage;
    if (backup) {
      const backups = new BackupScheduler(stores.db, backup, app.log);
      backups.start();
      app.addHook('onClose', async () => backups.stop());
    }
  },
  { name: 'housekeeping', dependencies: ['config', 'stores'] },
);
