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

/** A migration that rebuilds a referenced table says so on its first line (see migrate()). */
const FOREIGN_KEYS_OFF = /^-- liveline: foreign-keys-off\b/;

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
    const rebuildsTables = FOREIGN_KEYS_OFF.test(migration.sql);
    // SQLite's way to change a CHECK constraint is to rebuild the table, with foreign keys off
    // (the pragma is a no-op inside a transaction), checking them all before COMMIT.
    if (rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new MigrationError(`Migration ${migration.version} (${migration.name}) leaves ${broken.length} broken foreign key(s)`);
        }
        record.run(migration.version, migration.name, migration.checksum, new Date().toISOString());
      })();
    } finally {
      if (rebuildsTables) db.pragma('foreign_keys = ON');
    }
    applied.push(migration.version);
  }
  return { applied };
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
