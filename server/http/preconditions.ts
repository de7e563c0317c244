import { idempotencyKey } from '../../contract/index.js';
import { errors } from '../domain/errors.js';

/** Parses `If-Match: 3`, `If-Match: "3"` or `If-Match: W/"3"` into a version number. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) {
    throw errors.validation('If-Match must carry the version you edited, e.g. If-Match: "3".', [
      { field: 'headers.if-match', message: 'must be a version number' },
    ]);
  }
  return Number(match[1]);
}

export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = idempotencyKey.safeParse(Array.isArray(header) ? header.join(',') : header);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'is invalid';
    throw errors.validation(`Idempotency-Key ${message}`, [{ field: 'headers.idempotency-key', message }]);
  }
  return parsed.data;
}
