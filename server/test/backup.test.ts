import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { BackupScheduler, databaseInUse, restoreDatabase } from '../db/backup.js';
import { createPost, createTestApp, postEntry, testConfig, type TestApp } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

/** Posts `count` entries, `parallel` at a time; calls `onReturned` with each entry id as its POST returns. */
async function burst(slug: string, count: number, parallel: number, onReturned: (id: number) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = (next += 1);
      // A render timeout on a loaded machine is a 422 that wrote nothing: post again.
      for (let attempt = 1; ; attempt += 1) {
        const response = await postEntry(t, slug, `Entry ${n} of the burst`);
        if (response.statusCode === 201) {
          onReturned(response.json().id);
          break;
        }
        if (response.statusCode !== 422 || attempt === 5) throw new Error(`POST failed: ${response.statusCode} ${response.body}`);
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

function readBackup(path: string) {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return {
      check: db.pragma('integrity_check', { simple: true }),
      ids: new Set((db.prepare('SELECT id FROM entries').all() as { id: number }[]).map((row) => row.id)),
      seqs: (db.prepare('SELECT seq FROM changes ORDER BY seq').all() as { seq: number }[]).map((row) => row.seq),
      lastSeq: (db.prepare('SELECT last_seq FROM posts').get() as { last_seq: number }).last_seq,
    };
  } finally {
    db.close();
  }
}

describe('online backup', () => {
  it('`liveline backup` during a burst of 500 entries holds every entry acknowledged before it started', async () => {
    const { slug } = await createPost(t);
    const dest = join(t.dir, 'backup.db');
    const returned: number[] = [];
    let beforeBackup: number[] | undefined;
    let backup: Promise<unknown> | undefined;
    await burst(slug, 500, 8, (id) => {
      returned.push(id);
      if (returned.length === 200) {
        beforeBackup = [...returned];
        // The CLI, in its own process, against the database the server is writing to.
        backup = run(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', 'backup', dest], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_PATH: testConfig(t.dir).storage.databasePath },
        });
      }
    });
    await backup;
    expect(returned).toHaveLength(500);

    const copy = readBackup(dest);
    expect(copy.check).toBe('ok');
    for (const id of beforeBackup!) expect(copy.ids.has(id), `entry ${id}`).toBe(true);
    // A consistent snapshot: the change log is whole and matches the post and its entries.
    expect(copy.seqs).toEqual(Array.from({ length: copy.lastSeq }, (_, i) => i + 1));
    expect(copy.ids.size).toBe(copy.lastSeq);
    expect(copy.lastSeq).toBeGreaterThanOrEqual(200);
  });

  it('the scheduled backup copies in steps while the server writes, and keeps the newest N', async () => {
    const { slug } = await createPost(t);
    const dir = join(t.dir, 'backups');
    let tick = Date.parse('2026-11-25T10:00:00.000Z');
    const logged: string[] = [];
    const scheduler = new BackupScheduler(t.app.stores.db, { dir, intervalMs: 3_600_000, keep: 2, pagesPerStep: 1 }, { info: (m) => logged.push(m), error: (_o, m) => logged.push(m) }, () => new Date((tick += 1000)));
    await burst(slug, 50, 4, () => {});
    for (let i = 0; i < 3; i++) {
      const copying = scheduler.runOnce();
      await burst(slug, 20, 4, () => {});
      expect(await copying).toBeDefined();
    }
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['liveline-2026-11-25T10-00-02-000Z.db', 'liveline-2026-11-25T10-00-03-000Z.db']);
    const newest = readBackup(join(dir, files[1]!));
    expect(newest.check).toBe('ok');
    expect(newest.seqs).toEqual(Array.from({ length: newest.lastSeq }, (_, i) => i + 1));
    expect(newest.lastSeq).toBeGreaterThanOrEqual(90);
    expect(newest.ids.size).toBe(newest.lastSeq);
    await scheduler.stop();
  });
});

describe('restore', () => {
  it('refuses while the server holds the database, and restores once it has stopped', async () => {
    const { slug } = await createPost(t, { title: 'Before backup' });
    await postEntry(t, slug, 'In the backup');
    const backupPath = join(t.dir, 'snapshot.db');
    await run(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', 'backup', backupPath], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: testConfig(t.dir).storage.databasePath } });
    await postEntry(t, slug, 'After the backup');

    const databasePath = testConfig(t.dir).storage.databasePath;
    expect(databaseInUse(databasePath)).toBe(true);
    expect(() => restoreDatabase(backupPath, databasePath)).toThrow(/in use/);
    // The CLI says the same and exits non-zero.
    const refused = await run(process.execPath, ['--import', 'tsx', 'server/cli/index.ts', 'restore', backupPath], { cwd: ROOT, env: { ...process.env, DATABASE_PATH: databasePath } }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/in use/) });

    await t.app.close();
    expect(databaseInUse(databasePath)).toBe(false);
    const result = restoreDatabase(backupPath, databasePath);
    expect(result.previous && existsSync(result.previous)).toBe(true);
    const db = openDatabase(databasePath);
    const bodies = (db.prepare('SELECT body FROM entries ORDER BY id').all() as { body: string }[]).map((row) => row.body);
    db.close();
    expect(bodies).toEqual(['In the backup']);
  });
});
