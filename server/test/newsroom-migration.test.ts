import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { migrate, readMigrations } from '../db/migrate.js';

it('the newsroom migration keeps existing revisions and adds their shown time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-newsroom-migration-'));
  try {
    const db = openDatabase(join(dir, 'a.db'));
    const all = readMigrations();
    const newsroom = all.findIndex((migration) => migration.name === 'newsroom');
    expect(newsroom).toBeGreaterThan(0);
    migrate(db, all.slice(0, newsroom));
    const now = '2026-03-14T09:00:00.000Z';
    db.prepare("INSERT INTO users (id, name, role, created_at) VALUES (1, 'Ada', 'author', ?)").run(now);
    db.prepare("INSERT INTO posts (id, slug, title, status, created_at, updated_at) VALUES (1, 'p', 'P', 'live', ?, ?)").run(now, now);
    db.prepare("INSERT INTO entries (id, post_id, author_id, body, html, created_at, updated_at) VALUES (1, 1, 1, 'hello', '<p>hello</p>', '2026-03-14T09:40:00.000Z', ?)").run(now);
    db.prepare("INSERT INTO entry_revisions (entry_id, version, action, body, key_event, actor_id, created_at) VALUES (1, 1, 'created', 'hello', 0, 1, ?)").run(now);

    migrate(db, all);
    expect(db.prepare('SELECT entry_id, version, action, body, shown_at, actor_id FROM entry_revisions').all()).toEqual([
      { entry_id: 1, version: 1, action: 'created', body: 'hello', shown_at: '2026-03-14T09:40:00.000Z', actor_id: 1 },
    ]);
    expect(() => db.prepare("INSERT INTO entry_revisions (entry_id, version, action, body, key_event, created_at) VALUES (1, 2, 'pinned', 'hello', 0, ?)").run(now)).not.toThrow();
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
