import { timingSafeEqual } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { errors } from '../domain/errors.js';
import type { SessionActor } from '../store/sessions.js';
import type { TokenStore } from '../store/tokens.js';
import type { Actor, Role } from '../../contract/index.js';
import { hasRole } from '../domain/roles.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
export const SESSION_COOKIE = 'liveline_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the request to an actor, or throws 401; throws 403 below `role`.
 * Scripts send "Authorization: Bearer <token>"; the newsroom UI sends its session cookie. A
 * cookie is sent by the browser on its own, so every cookie-authenticated write must also carry
 * the session's CSRF token in X-CSRF-Token (synchroniser token); a bearer token cannot be
 * forged cross-site, so it needs none.
 */
export function authenticate(request: FastifyRequest, tokens: TokenStore, role: Role = 'author'): Actor {
  const actor = request.headers.authorization === undefined ? fromSession(request) : fromToken(request.headers.authorization, tokens);
  if (!hasRole(actor, role)) throw errors.forbidden(`This action needs the ${role} role; you have the ${actor.role} role.`);
  return actor;
}

function fromToken(header: string, tokens: TokenStore): Actor {
  const match = BEARER.exec(header);
  if (!match) throw errors.unauthenticated('The Authorization header must be "Bearer <token>".');
  const actor = tokens.authenticate(match[1]!, new Date().toISOString());
  if (!actor) throw errors.unauthenticated('The API token is unknown or has been revoked.');
  return actor;
}

function fromSession(request: FastifyRequest): Actor {
  const session = currentSession(request);
  if (!session) throw errors.unauthenticated();
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(request.headers[CSRF_HEADER], session.csrfToken)) {
    throw errors.forbidden('The CSRF token is missing or wrong; reload the page and try again.');
  }
  return session.actor;
}

/** The logged-in session of this request, if any (looked up once per request). */
export function currentSession(request: FastifyRequest): SessionActor | undefined {
  const cached = sessionCache.get(request);
  if (cached !== undefined) return cached ?? undefined;
  const secret = request.cookies?.[SESSION_COOKIE];
  const session = secret ? request.server.stores.sessions.lookup(secret, new Date().toISOString()) : undefined;
  sessionCache.set(request, session ?? null);
  return session;
}

const sessionCache = new WeakMap<FastifyRequest, SessionActor | null>();

export function csrfMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
