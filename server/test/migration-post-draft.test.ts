import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { migrate, readMigrations } from '../db/migrate.js';

/**
 * Migration 0017 widens posts' status CHECK in place (edits-schema) to admit `draft` (issue 17,
 * post-level draft): a database at 0016 keeps every post, its entries and changes (posts has
 * many foreign keys pointing at it, which a rebuild would have to carry over), foreign keys stay
 * on, a bogus status is still refused, and a definition that is not the expected one stops the
 * migration, changing nothing.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function database() {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-0017-'));
  dirs.push(dir);
  return openDatabase(join(dir, 'a.db'));
}

const all = readMigrations();
const upTo16 = all.filter((migration) => migration.version <= 16);
const upTo17 = all.filter((migration) => migration.version <= 17);

function seed(db: ReturnType<typeof database>): void {
  const now = '2026-03-01T10:00:00.000Z';
  for (const [slug, status] of [['keynote', 'live'], ['tomorrow', 'scheduled'], ['last-year', 'ended']] as const) {
    db.prepare('INSERT INTO posts (slug, title, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(slug, `Post ${slug}`, status, now, now);
  }
  const postId = (db.prepare("SELECT id FROM posts WHERE slug = 'keynote'").get() as { id: number }).id;
  db.prepare("INSERT INTO entries (post_id, body, html, created_at, updated_at) VALUES (?, 'Hello', '<p>Hello</p>', ?, ?)").run(postId, now, now);
}

it('keeps the posts of a database at 0016, with their entries, and admits draft posts but no bogus status', () => {
  const db = database();
  migrate(db, upTo16);
  seed(db);
  const before = db.prepare('SELECT * FROM posts ORDER BY id').all();
  expect(migrate(db, upTo17).applied).toEqual([17]);
  expect(db.prepare('SELECT * FROM posts ORDER BY id').all()).toEqual(before);
  expect(db.prepare('SELECT count(*) AS n FROM entries').get()).toEqual({ n: 1 });
  const now = new Date().toISOString();
  db.prepare("INSERT INTO posts (slug, title, status, created_at, updated_at) VALUES ('prepared', 'Prepared', 'draft', ?, ?)").run(now, now);
  expect(() => db.prepare("INSERT INTO posts (slug, title, status, created_at, updated_at) VALUES ('odd', 'Odd', 'hidden', ?, ?)").run(now, now)).toThrow(/CHECK constraint/);
  expect(() => db.prepare("UPDATE posts SET status = 'archived' WHERE slug = 'keynote'").run()).toThrow(/CHECK constraint/);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  db.close();
});

it('stops, changing nothing, when the posts definition is not the expected one', () => {
  const db = database();
  migrate(db, upTo16);
  seed(db);
  // A status list this migration does not know (as a hand-edited database might have).
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.exec("UPDATE sqlite_schema SET sql = replace(sql, '''ended''))', '''ended'', ''archived''))') WHERE name = 'posts'");
  db.pragma(`schema_version = ${(db.pragma('schema_version', { simple: true }) as number) + 1}`);
  db.pragma('writable_schema = OFF');
  db.unsafeMode(false);
  const definition = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'posts'").get();
  expect(() => migrate(db, upTo17)).toThrow(/CHECK constraint failed/);
  expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'posts'").get()).toEqual(definition);
  expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 16 });
  expect(db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 3 });
  db.close();
});
