import Database from 'better-sqlite3';
import { registerFunctions } from './functions.js';

export type Db = Database.Database;

/**
 * Opens the database with the pragmas every connection needs. Durability matters more than
 * write speed here: an acknowledged entry must survive a power cut, so WAL runs with
 * synchronous=FULL (better-sqlite3 builds SQLite with WAL defaulting to NORMAL).
 */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  if (!options.readonly) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  assertPragmas(db, path);
  registerFunctions(db);
  return db;
}

function assertPragmas(db: Db, path: string): void {
  const synchronous = db.pragma('synchronous', { simple: true });
  if (synchronous !== 2) throw new Error(`SQLite refused synchronous=FULL (got ${String(synchronous)})`);
  const foreignKeys = db.pragma('foreign_keys', { simple: true });
  if (foreignKeys !== 1) throw new Error('SQLite refused foreign_keys=ON');
  const journal = db.pragma('journal_mode', { simple: true });
  if (path !== ':memory:' && journal !== 'wal') throw new Error(`SQLite refused WAL (journal_mode=${String(journal)})`);
}
