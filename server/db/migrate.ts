import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './connection.js';

/** Where the forward-only SQL migrations live: <repo>/migrations, next to server/ and dist/. */
export const MIGRATIONS_DIR = fileURLToPath(
  new URL(import.meta.url.includes('/dist/server/') ? '../../../migrations/' : '../../migrations/', import.meta.url),
);

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** A migration that edits table definitions in place says so on its first line (see editSchema). */
const EDITS_SCHEMA = /^-- liveline: edits-schema\b/;

export type Migration = { version: number; name: string; sql: string; checksum: string };

export class MigrationError extends Error {}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new MigrationError(`Migration file name must look like 0001_name.sql: ${file}`);
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(match[1]), name: match[2]!, sql, checksum: sha256(sql) };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(`Migrations must be numbered 0001, 0002, … without gaps; found ${migration.version} at position ${index + 1}`);
    }
  });
  return migrations;
}

type AppliedRow = { version: number; name: string; checksum: string };

/**
 * Applies pending migrations in order, each in its own transaction together with its record.
 * Refuses to run when an applied migration file was edited or the database is newer than the code.
 */
export function migrate(db: Db, migrations: Migration[] = readMigrations()): { applied: number[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const appliedRows = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
  verifyApplied(appliedRows, migrations);

  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations.slice(appliedRows.length)) {
    if (EDITS_SCHEMA.test(migration.sql)) editSchema(db, migration);
    else {
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, migration.checksum, new Date().toISOString());
      })();
    }
    applied.push(migration.version);
  }
  return { applied };
}

/**
 * Widening a CHECK constraint (a new role, a new status) without rebuilding the table: SQLite
 * cannot ALTER a constraint, and a rebuild would have to name every column, dropping those a
 * later branch added. SQLite's documented alternative for changes that leave every stored row
 * valid is to edit the table's definition in sqlite_schema (writable_schema, which better-sqlite3
 * allows only outside its defensive mode) and bump schema_version. Here that runs in one
 * transaction with its record, and is refused unless it changed a definition and the database
 * is still sound.
 */
function editSchema(db: Db, migration: Migration): void {
  const definitions = () => JSON.stringify(db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all());
  const before = definitions();
  db.unsafeMode(true);
  try {
    db.transaction(() => {
      const version = db.pragma('schema_version', { simple: true }) as number;
      db.pragma('writable_schema = ON');
      db.exec(migration.sql);
      db.pragma(`schema_version = ${sqlInteger(version + 1)}`);
      db.pragma('writable_schema = OFF');
      if (definitions() === before) throw new MigrationError(`Migration ${migration.version} (${migration.name}) changed no table definition`);
      const check = db.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new MigrationError(`Migration ${migration.version} (${migration.name}) left the database unsound: ${String(check)}`);
      db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)').run(migration.version, migration.name, migration.checksum, new Date().toISOString());
    })();
  } finally {
    db.unsafeMode(false);
  }
}

function verifyApplied(appliedRows: AppliedRow[], migrations: Migration[]): void {
  for (const row of appliedRows) {
    const migration = migrations[row.version - 1];
    if (!migration) {
      throw new MigrationError(`The database has migration ${row.version} (${row.name}) that this version of Liveline does not know; refusing to start on a newer database`);
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${String(row.version).padStart(4, '0')}_${row.name}.sql was changed after it was applied (checksum mismatch); restore the original file and add a new migration instead`);
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * An integer spelled into a pragma, which cannot take bound parameters: refused unless it is one
 * (server/test/secrets.test.ts allows only this, or UPPER_CASE constants, inside SQL templates).
 */
function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new MigrationError(`Not an integer: ${String(value)}`);
  return String(value);
}
