import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Post } from '../../contract/index.js';

/**
 * How public answers may be cached, for the pages, feeds and JSON reads alike: for a second, then
 * revalidated with the ETag (stale while that happens), enough to absorb a crowd on one post
 * without anyone seeing an entry late. The ETags are built from the post's lastSeq and version,
 * which every write moves in its own transaction.
 */
export const PUBLIC_CACHE = 'public, max-age=1, stale-while-revalidate=5';

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
