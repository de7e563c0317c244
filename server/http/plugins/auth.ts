import type {} from '@fastify/cookie';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor, Role } from '../../../contract/index.js';
import { errors } from '../../domain/errors.js';
import { hasRole } from '../../domain/roles.js';
import type { SessionActor } from '../../store/sessions.js';
import { assertCsrfToken } from './csrf.js';

/**
 * Who is asking. Scripts send "Authorization: Bearer <token>"; the newsroom UI sends its session
 * cookie, and with a write the session's CSRF token (csrf.ts). A route that needs someone says so
 * in its options, `preHandler: requireRole('editor')` (or `requireUser`, any role), and reads
 * `request.actor` in its handler: 401 without credentials, 403 below the role. It runs as a
 * preHandler, after the body was parsed and validated, where the handlers used to authenticate,
 * so an invalid request still gets its 400 first. `request.actor` on a route without it is a
 * programming error and throws (a 500), rather than quietly reading as nobody.
 */

declare module 'fastify' {
  interface FastifyRequest {
    /** Who makes this request; set by requireRole / requireUser. */
    readonly actor: Actor;
  }
}

export const SESSION_COOKIE = 'liveline_session';
const PRIVATE = 'private, no-store';
const BEARER = /^Bearer\s+(\S+)\s*$/i;

const actors = new WeakMap<FastifyRequest, Actor>();

export const auth = fp(
  async (app) => {
    // One rule for every route (security review H3): a response to a request that carried or
    // resolved credentials is that person's alone. A shared cache in front (nginx micro-caching
    // keys by URL) must never store it and hand it to the next visitor; neither may the browser
    // keep it on a shared computer.
    app.addHook('onSend', async (request, reply) => {
      if (carriesCredentials(request)) reply.header('Cache-Control', PRIVATE);
    });
    app.decorateRequest('actor', {
      getter(this: FastifyRequest): Actor {
        const actor = actors.get(this);
        if (!actor) throw new Error(`request.actor read on ${this.method} ${this.routeOptions.url ?? this.url}, which has no requireRole preHandler`);
        return actor;
      },
    });
  },
  { name: 'auth', dependencies: ['stores'] },
);

/** Whether this request sent an API token or a session cookie, or was resolved to someone. */
function carriesCredentials(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined || request.cookies?.[SESSION_COOKIE] !== undefined || actors.has(request) || Boolean(sessions.get(request));
}

/** A preHandler that lets through `role` and the roles above it, and sets `request.actor`. */
export function requireRole(role: Role): preHandlerAsyncHookHandler {
  return async (request) => {
    authorize(request, role);
  };
}

/** Any logged-in role. */
export const requireUser = requireRole('author');

/**
 * Resolves the request to an actor with at least `role`, or throws 401/403, and sets
 * `request.actor`. For a route whose role depends on its body (POST /api/import); every other
 * route uses requireRole.
 */
export function authorize(request: FastifyRequest, role: Role): Actor {
  const header = request.headers.authorization;
  const actor = header === undefined ? fromSession(request) : fromToken(request, header);
  if (!hasRole(actor, role)) throw errors.forbidden(`This action needs the ${role} role; you have the ${actor.role} role.`);
  actors.set(request, actor);
  return actor;
}

function fromToken(request: FastifyRequest, header: string): Actor {
  if (!BEARER.test(header)) throw errors.unauthenticated('The Authorization header must be "Bearer <token>".');
  const actor = tokenActor(request);
  if (!actor) throw errors.unauthenticated('The API token is unknown or has been revoked.');
  return actor;
}

/** The actor of the request's API token, if it is a valid one (looked up once per request). */
function tokenActor(request: FastifyRequest): Actor | undefined {
  const cached = tokens.get(request);
  if (cached !== undefined) return cached ?? undefined;
  const match = BEARER.exec(request.headers.authorization ?? '');
  const actor = match ? request.server.stores.tokens.authenticate(match[1]!, new Date().toISOString()) : undefined;
  tokens.set(request, actor ?? null);
  return actor;
}

const tokens = new WeakMap<FastifyRequest, Actor | null>();

/**
 * Who this request is, if its credentials are valid, without deciding whether it may do anything
 * (no role, no CSRF check): for counting a request against its person's budget (rate-limit.ts).
 */
export function knownActor(request: FastifyRequest): Actor | undefined {
  return request.headers.authorization === undefined ? currentSession(request)?.actor : tokenActor(request);
}

function fromSession(request: FastifyRequest): Actor {
  const session = currentSession(request);
  if (!session) throw errors.unauthenticated();
  assertCsrfToken(request, session);
  return session.actor;
}

/** The logged-in session of this request, if any (looked up once per request). */
export function currentSession(request: FastifyRequest): SessionActor | undefined {
  const cached = sessions.get(request);
  if (cached !== undefined) return cached ?? undefined;
  const secret = request.cookies?.[SESSION_COOKIE];
  const session = secret ? request.server.stores.sessions.lookup(secret, new Date().toISOString()) : undefined;
  sessions.set(request, session ?? null);
  return session;
}

const sessions = new WeakMap<FastifyRequest, SessionActor | null>();
