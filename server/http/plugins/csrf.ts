import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { errors } from '../../domain/errors.js';
import type { SessionActor } from '../../store/sessions.js';

/**
 * Cross-site request forgery. A browser sends the session cookie on its own, even with a request
 * another site makes it send, so every cookie-authenticated write must prove it comes from our
 * pages: it carries the session's CSRF token in X-CSRF-Token (synchroniser token). A bearer
 * token cannot be forged cross-site and needs none. Login and setup forms have no session yet:
 * there the Origin header browsers send with every POST must be ours ("login CSRF").
 */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function csrfMatches(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A cookie-authenticated write without the session's token is refused (403). */
export function assertCsrfToken(request: FastifyRequest, session: SessionActor): void {
  if (!SAFE_METHODS.has(request.method) && !csrfMatches(request.headers[CSRF_HEADER], session.csrfToken)) {
    throw errors.forbidden('The CSRF token is missing or wrong; reload the page and try again.');
  }
}

/**
 * Before there is a session: only a POST from our own origin (or from no browser at all) gets
 * through, and only to our own name. A fresh install's /setup is otherwise open to DNS rebinding
 * (security review L7): a page on evil.example re-pointed at 127.0.0.1 posts with a matching
 * Origin and Host of evil.example. The name must be PUBLIC_URL's host or a loopback name.
 */
export function assertSameOrigin(request: FastifyRequest, publicUrl: string | undefined): void {
  const hostname = hostnameOf(request.headers.host ?? '');
  if (!LOOPBACK_NAMES.has(hostname) && (!publicUrl || new URL(publicUrl).hostname !== hostname)) {
    throw errors.forbidden(`This server answers sign-in and setup only at its own address${publicUrl ? ` (${publicUrl})` : ' (localhost)'}.`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return; // not a browser (curl, scripts): nothing to forge
  const allowed = new Set([`http://${request.headers.host}`, `https://${request.headers.host}`]);
  if (publicUrl) allowed.add(publicUrl);
  if (!allowed.has(origin)) throw errors.forbidden('Cross-site login requests are refused.');
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return '';
  }
}
