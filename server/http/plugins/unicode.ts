import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errors } from '../../domain/errors.js';

/**
 * Every string that comes in is valid Unicode (security review L7). JSON can spell half of a
 * surrogate pair (`"\ud800"`); JavaScript keeps it, SQLite stores it as CESU-8 bytes that are not
 * UTF-8, and pages, feeds and exports then carry text no other program reads the same way. One
 * check at the door, for every body, query and path parameter, before validation: 400 naming
 * the field, and nothing is stored.
 */

/** With the `u` flag, a surrogate code unit matches only when it is not half of a valid pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function firstLoneSurrogate(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return `${path}.${key}`;
    const found = firstLoneSurrogate(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const unicode = fp(
  async (app) => {
    app.addHook('preValidation', async (request: FastifyRequest) => {
      const field = firstLoneSurrogate(request.body, 'body') ?? firstLoneSurrogate(request.query, 'querystring') ?? firstLoneSurrogate(request.params, 'params');
      if (field) {
        throw errors.validation(`${field}: must be valid Unicode (it holds half of a surrogate pair)`, [{ field, message: 'must be valid Unicode (it holds half of a surrogate pair)' }]);
      }
    });
  },
  { name: 'unicode' },
);
