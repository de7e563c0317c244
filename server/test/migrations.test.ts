import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/connection.js';
import { migrate, MIGRATIONS_DIR, readMigrations } from '../db/migrate.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-migrations-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('database', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout', () => {
    const db = openDatabase(join(tempDir(), 'a.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('applies migrations once, in order, recording checksums', () => {
    const db = openDatabase(join(tempDir(), 'a.db'));
    const all = readMigrations();
    expect(migrate(db).applied).toEqual(all.map((migration) => migration.version));
    expect(migrate(db).applied).toEqual([]);
    const rows = db.prepare('SELECT version, checksum FROM schema_migrations').all();
    expect(rows).toEqual(all.map((migration) => ({ version: migration.version, checksum: migration.checksum })));
    db.close();
  });

  it('refuses to start when an applied migration file was changed', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const db = openDatabase(join(dir, 'a.db'));
    migrate(db, readMigrations(migrations));
    writeFileSync(join(migrations, '0001_init.sql'), '-- edited\n', { flag: 'a' });
    expect(() => migrate(db, readMigrations(migrations))).toThrow(/0001_init\.sql was changed after it was applied/);
    db.close();
  });

  it('rolls back a failing migration entirely', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const next = String(readMigrations(migrations).length + 1).padStart(4, '0');
    writeFileSync(join(migrations, `${next}_broken.sql`), 'CREATE TABLE half_done (id INTEGER);\nTHIS IS NOT SQL;\n');
    const db = openDatabase(join(dir, 'a.db'));
    expect(() => migrate(db, readMigrations(migrations))).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: Number(next) - 1 });
    db.close();
  });

  it('refuses a database newer than the code', () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'a.db'));
    migrate(db);
    db.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x', 'now')").run();
    expect(() => migrate(db)).toThrow(/newer database/);
    db.close();
  });
});
