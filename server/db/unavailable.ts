/**
 * SQLite errors that mean "the storage cannot take writes right now" (disk full, read-only file
 * or mount, I/O error, lock held too long), as opposed to a bug. The transaction that hit one has
 * rolled back, so nothing is half-written; the HTTP layer answers 503 and reads keep working.
 */
const UNAVAILABLE = /^SQLITE_(FULL|READONLY|IOERR|BUSY|LOCKED|CANTOPEN|NOMEM)/;

export type StorageUnavailable = { code: string; reason: string };

export function storageUnavailable(error: unknown): StorageUnavailable | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNAVAILABLE.test(code)) return undefined;
  const reason = code.startsWith('SQLITE_FULL')
    ? 'the disk is full'
    : code.startsWith('SQLITE_READONLY')
      ? 'the database is read-only'
      : code.startsWith('SQLITE_IOERR')
        ? 'the disk reported an I/O error'
        : 'the database is busy';
  return { code, reason };
}
