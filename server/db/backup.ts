import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from './connection.js';

/**
 * Online backups with SQLite's backup API, and a restore that refuses to touch a database
 * another process has open.
 */

export class BackupError extends Error {}

/** Copy everything in one step: one read snapshot, so writes by other processes cannot restart it. */
export const ALL_PAGES = 0x7fffffff;

export type BackupResult = { path: string; pages: number };

/**
 * Copies the open database to `destination` while it keeps serving. With the default (all pages
 * in one step) the copy is one read snapshot: every commit before it is in, later ones are not.
 * The copy is written next to the destination, checked, then renamed into place, so a crash
 * never leaves a half-written file under the final name.
 */
export async function backupDatabase(source: Db, destination: string, pagesPerStep = ALL_PAGES): Promise<BackupResult> {
  mkdirSync(dirname(destination), { recursive: true });
  const partial = `${destination}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    const { totalPages } = await source.backup(partial, { progress: () => pagesPerStep });
    verify(partial);
    renameSync(partial, destination);
    return { path: destination, pages: totalPages };
  } catch (error) {
    for (const file of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(file, { force: true });
    throw error;
  }
}

/** A copy must open, pass SQLite's quick check and carry Liveline's schema. */
function verify(path: string): void {
  const db = new Database(path, { fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`${path} fails SQLite's integrity check: ${String(check)}`);
    const hasSchema = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!hasSchema) throw new BackupError(`${path} is not a Liveline database (no schema_migrations table)`);
  } finally {
    db.close();
  }
}

/**
 * Whether some connection (a running server, an import, a sqlite3 shell) has the database open.
 * Leaving WAL mode needs every other connection gone: SQLite answers SQLITE_BUSY otherwise. This
 * asks the file locks themselves, so it cannot be fooled by a stale pid file after a crash.
 * When it succeeds the database is left in rollback-journal mode, which is fine: it is about
 * to be replaced, and Liveline switches it back to WAL when it opens it.
 */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    return db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete';
  } catch (error) {
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

export type RestoreResult = { restored: string; previous: string | null };

/**
 * Replaces the database with a backup. Refuses while anything holds the database open; keeps
 * the replaced file as `<name>.before-restore-<time>` so a wrong restore can be undone.
 */
export function restoreDatabase(backupPath: string, databasePath: string, now = new Date()): RestoreResult {
  if (!existsSync(backupPath)) throw new BackupError(`No backup at ${backupPath}.`);
  const incoming = `${databasePath}.restoring-${process.pid}`;
  mkdirSync(dirname(databasePath), { recursive: true });
  copyFileSync(backupPath, incoming);
  try {
    verify(incoming);
    if (databaseInUse(databasePath)) {
      throw new BackupError(`${databasePath} is in use (a running Liveline server or another process has it open); stop it, then restore.`);
    }
    let previous: string | null = null;
    if (existsSync(databasePath)) {
      previous = `${databasePath}.before-restore-${stamp(now)}`;
      renameSync(databasePath, previous);
    }
    for (const stale of [`${databasePath}-wal`, `${databasePath}-shm`]) rmSync(stale, { force: true });
    renameSync(incoming, databasePath);
    return { restored: databasePath, previous };
  } finally {
    for (const file of [incoming, `${incoming}-wal`, `${incoming}-shm`]) rmSync(file, { force: true });
  }
}

/** `2026-11-25T12-49-38-123Z`: sorts by time, valid in every file system. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

const SCHEDULED = /^liveline-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.db$/;

export type BackupSchedule = { dir: string; intervalMs: number; keep: number; /** Pages copied per event-loop turn. */ pagesPerStep?: number };
type Log = { info(msg: string): void; error(obj: unknown, msg: string): void };

/**
 * The in-process scheduled backup: every `intervalMs`, a copy `liveline-<time>.db` in `dir`,
 * keeping the newest `keep`. It uses the server's own connection in small steps, so the event
 * loop stays responsive and the server's writes during a copy go straight into it.
 */
export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<BackupResult | undefined> | undefined;

  constructor(
    private readonly db: Db,
    private readonly schedule: BackupSchedule,
    private readonly log: Log,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.schedule.intervalMs);
    this.timer.unref();
  }

  /** One backup now, unless one is already running; then prunes old copies. */
  runOnce(): Promise<BackupResult | undefined> {
    if (this.running) return this.running;
    const destination = join(this.schedule.dir, `liveline-${stamp(this.clock())}.db`);
    this.running = backupDatabase(this.db, destination, this.schedule.pagesPerStep ?? 1000)
      .then((result) => {
        this.prune();
        this.log.info(`backup written to ${result.path} (${result.pages} pages)`);
        return result;
      })
      .catch((error: unknown) => {
        this.log.error({ err: error }, `scheduled backup to ${destination} failed`);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /** Stops the timer and waits for a backup in progress (the database closes after). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private prune(): void {
    const copies = readdirSync(this.schedule.dir).filter((name) => SCHEDULED.test(name)).sort();
    for (const old of copies.slice(0, Math.max(0, copies.length - this.schedule.keep))) {
      rmSync(join(this.schedule.dir, basename(old)), { force: true });
    }
  }
}
