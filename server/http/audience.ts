import type { FastifyRequest } from 'fastify';
import { knownActor } from './plugins/auth.js';
import type { Audience } from '../services/posts.js';

/**
 * Who a read route answers (issue 17, post-level draft): a request with valid newsroom
 * credentials (session cookie or API token, any role) is the newsroom, which may read a draft
 * post's entries and changes (its desk loads them over these routes); anything else is the
 * public, for whom a draft post does not exist (404). Such an answer is the person's alone: the
 * auth plugin marks every credentialed response `private, no-store`, and nginx never caches a
 * request with a cookie or token. Invalid credentials read as the public, never as an error.
 */
export function audienceOf(request: FastifyRequest): Audience {
  return knownActor(request) ? 'newsroom' : 'public';
}
