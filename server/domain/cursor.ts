/** Position of an entry in a post's timeline: entries are ordered by (createdAt, id). */
export type EntryCursor = { createdAt: string; id: number };

/** Opaque paging cursor: the (createdAt, id) of the oldest entry a page ended with. */
export function encodeCursor(cursor: EntryCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(text: string): EntryCursor | undefined {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,15})$/.exec(decoded);
  return match ? { createdAt: match[1]!, id: Number(match[2]) } : undefined;
}

/**
 * The cursor whose page ends with the last entry at or before `instant` (`?at=`): entries come
 * before a cursor when older, or as old with a smaller id; no id is larger than this one.
 */
export function atOrBefore(instant: string): EntryCursor {
  return { createdAt: instant, id: Number.MAX_SAFE_INTEGER };
}
