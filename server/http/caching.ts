import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Post } from '../../contract/index.js';

/**
 * How public answers may be cached, for the pages, feeds and JSON reads alike: for a second, then
 * revalidated with the ETag (stale while that happens), enough to absorb a crowd on one post
 * without anyone seeing an entry late. The ETags are built from the post's lastSeq and version,
 * which every write moves in its own transaction.
 */
export const PUBLIC_CACHE = 'public, max-age=1, stale-while-revalidate=5';

/**
 * The change log polled by a page without a socket (`/changes?since=N&poll=1`): a crowd behind one
 * address polls the same few URLs, and nginx's micro-cache (with proxy_cache_lock) turns them into
 * about one request per URL per second to the primary. No stale-while-revalidate: polls are seconds
 * apart already. A change at most a second old is as fresh as the page itself; a deletion within
 * that second reaches the page on its next poll, like a reload of the (also cached) page.
 */
export const POLL_CACHE = 'public, max-age=1';

/** Catch-up after a gap in seq: the reader knows a newer change exists, so never a kept answer. */
export const CATCH_UP_CACHE = 'no-cache';

/** Sets the ETag and caching headers; true when the client (or a cache) already holds this version. */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('ETag', etag).header('Cache-Control', PUBLIC_CACHE);
  const match = request.headers['if-none-match'];
  return match !== undefined && match.split(',').some((tag) => tag.trim() === etag);
}

/** A list of posts' version: any write to a listed post moves its updatedAt (entries touch their post), and a new post adds to the count. */
export function postListVersion(list: Post[]): string {
  const newest = list.reduce((latest, post) => (post.updatedAt > latest ? post.updatedAt : latest), '');
  return `${list.length}-${newest}`;
}
