import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { migrate, readMigrations } from '../db/migrate.js';

/**
 * Migration 0012 widens users' role CHECK in place (edits-schema) rather than rebuilding the
 * table: a column another migration added to users survives it, with its data, foreign keys stay
 * on, and a definition that is not the expected one stops the migration, changing nothing.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function database() {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-0012-'));
  dirs.push(dir);
  return openDatabase(join(dir, 'a.db'));
}

const all = readMigrations();
const upTo11 = all.filter((migration) => migration.version <= 11);
const upTo12 = all.filter((migration) => migration.version <= 12);

it('keeps a column another branch added to users, and admits contributors', () => {
  const db = database();
  migrate(db, upTo11);
  db.exec("ALTER TABLE users ADD COLUMN avatar TEXT; INSERT INTO users (name, email, role, created_at, avatar) VALUES ('Ada', 'ada@example.org', 'author', 'now', 'ada.png')");
  expect(migrate(db, upTo12).applied).toEqual([12]);
  expect(db.prepare("SELECT name, role, avatar FROM users WHERE email = 'ada@example.org'").get()).toEqual({ name: 'Ada', role: 'author', avatar: 'ada.png' });
  db.prepare("INSERT INTO users (name, role, created_at) VALUES ('Cora', 'contributor', 'now')").run();
  expect(() => db.prepare("INSERT INTO users (name, role, created_at) VALUES ('Boss', 'owner', 'now')").run()).toThrow(/CHECK constraint/);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
});

it('stops, changing nothing, when the users definition is not the expected one', () => {
  const db = database();
  migrate(db, upTo11);
  // A role list this migration does not know (as a hand-edited database might have).
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.exec("UPDATE sqlite_schema SET sql = replace(sql, '''admin''))', '''admin'', ''owner''))') WHERE name = 'users'");
  db.pragma(`schema_version = ${(db.pragma('schema_version', { simple: true }) as number) + 1}`);
  db.pragma('writable_schema = OFF');
  db.unsafeMode(false);
  expect(() => migrate(db, all)).toThrow(/CHECK constraint failed/);
  expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'entry_drafts'").get()).toBeUndefined();
  expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: 11 });
  db.close();
});
