import formbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginInput, nextPath, sessionOutput, setupInput } from '../../../../contract/index.js';
import { errors } from '../../../domain/errors.js';
import { loginPage, setupPage } from '../../../render/newsroom.js';
import { currentSession, SESSION_COOKIE } from '../../plugins/auth.js';
import { assertSameOrigin, CSRF_HEADER, csrfMatches } from '../../plugins/csrf.js';
import { noFraming } from '../../plugins/security-headers.js';
import { LoginThrottle } from './login-throttle.js';
import { trustsAnyProxy } from '../../../domain/proxies.js';

/**
 * Logging in and out, the first administrator's setup, and `GET /api/session` (who is logged in,
 * and the CSRF token the newsroom sends with its writes). Login and setup answer both the HTML
 * forms (a page with the error, or a redirect) and JSON clients (problem+json, or the session),
 * so they validate their bodies themselves rather than in the route schema.
 */

const HTML = 'text/html; charset=utf-8';
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** Login limits: per account (guessing one password) and per client address (spraying many). */
/**
 * Login throttling: free wrong passwords per account and address, and per address; after them the
 * wait doubles from 30 s up to 15 min. Any login requests beyond 60 a minute from one address
 * get 429 too, malformed ones included.
 */
export const LOGIN_LIMITS = { perAccount: 5, perIp: 30, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, requestsPerMinute: 60 } as const;

/**
 * Only a path on this site, so ?next= cannot send someone to another site after logging in (an
 * open redirect). The URL is resolved the way a browser would and must stay on our origin; only
 * its path, query and fragment are kept.
 */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/')) return '/admin';
  const base = new URL('http://liveline.invalid');
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return '/admin';
  }
  return resolved.origin === base.origin ? `${resolved.pathname}${resolved.search}${resolved.hash}` : '/admin';
}

/** A browser navigating (its Accept names HTML), not a script. */
function acceptsHtml(request: FastifyRequest): boolean {
  return String(request.headers.accept ?? '').includes('text/html');
}

function wantsJson(request: FastifyRequest): boolean {
  return String(request.headers['content-type'] ?? '').startsWith('application/json');
}

export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  // Only these form routes accept urlencoded bodies; the JSON API stays JSON-only.
  await app.register(formbody);
  app.addHook('onSend', async (_request, reply) => noFraming(reply));
  const { users } = app.services;
  // Guesses slow down per account and address, and per address (login-throttle.ts); plain
  // request floods (malformed attempts included) meet an ordinary rate limit per address.
  const perAccount = new LoginThrottle({ free: LOGIN_LIMITS.perAccount, baseDelayMs: LOGIN_LIMITS.baseDelayMs, maxDelayMs: LOGIN_LIMITS.maxDelayMs });
  const perIp = new LoginThrottle({ free: LOGIN_LIMITS.perIp, baseDelayMs: LOGIN_LIMITS.baseDelayMs, maxDelayMs: LOGIN_LIMITS.maxDelayMs });
  const requests = app.createRateLimit({ max: LOGIN_LIMITS.requestsPerMinute, timeWindow: 60_000 });

  const startSession = (request: FastifyRequest, reply: FastifyReply, userId: number) => {
    const session = app.stores.sessions.create(userId, new Date(), SESSION_TTL_MS, request.headers['user-agent'] ?? '');
    const secure = app.config.http.publicUrl?.startsWith('https:') === true || (trustsAnyProxy(app.config.http.trustProxy) && request.protocol === 'https');
    reply.setCookie(SESSION_COOKIE, session.secret, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(session.expiresAt) });
    return session;
  };

  app.get('/login', { schema: { querystring: z.object({ next: nextPath.optional() }) } }, async (request, reply) => {
    if (users.needsSetup()) return reply.redirect('/setup', 303);
    if (currentSession(request)) return reply.redirect(safeNext(request.query.next), 303);
    return reply.type(HTML).header('Cache-Control', 'no-store').send(loginPage(app.assets, { next: safeNext(request.query.next) }));
  });

  app.post('/login', async (request, reply) => {
    assertSameOrigin(request, app.config.http.publicUrl);
    const parsed = loginInput.safeParse(request.body ?? {});
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => ({ field: ['body', ...issue.path].join('.'), message: issue.message }));
      throw errors.validation(fields.some((field) => field.field === 'body.next') ? `body.next: ${fields.find((field) => field.field === 'body.next')!.message}` : 'Send an email and a password.', fields);
    }
    const { email, password, next } = parsed.data;
    const tooMany = (seconds: number) => {
      const message = `Too many login attempts; try again in ${seconds < 60 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minute(s)`}.`;
      if (wantsJson(request)) throw errors.tooManyRequests(message, seconds);
      return reply.code(429).header('Retry-After', String(seconds)).type(HTML).send(loginPage(app.assets, { next: safeNext(next), email, error: message }));
    };
    const flood = await requests(request);
    if (!flood.isAllowed && flood.isExceeded) return tooMany(flood.ttlInSeconds);
    const wrong = () => {
      if (wantsJson(request)) throw errors.unauthenticated('The email or password is wrong.');
      return reply.code(401).type(HTML).send(loginPage(app.assets, { next: safeNext(next), email, error: 'The email or password is wrong.' }));
    };
    // A malformed attempt guesses nothing: it is refused without counting against anyone.
    if (!email || !password) return wrong();
    const accountKey = `${email.toLowerCase()}\u0000${request.ip}`;
    const wait = Math.max(perIp.waitMs(request.ip), perAccount.waitMs(accountKey));
    if (wait > 0) return tooMany(Math.ceil(wait / 1000));
    const actor = await users.verifyCredentials(email, password);
    if (!actor) {
      perAccount.failed(accountKey);
      perIp.failed(request.ip);
      return wrong();
    }
    perAccount.succeeded(accountKey);
    const session = startSession(request, reply, actor.id);
    if (wantsJson(request)) return reply.send({ user: actor, csrfToken: session.csrfToken });
    return reply.redirect(safeNext(next), 303);
  });

  app.post('/logout', async (request, reply) => {
    const session = currentSession(request);
    const sent = (request.body as { _csrf?: unknown } | undefined)?._csrf ?? request.headers[CSRF_HEADER];
    if (session) {
      if (!csrfMatches(typeof sent === 'string' ? sent : undefined, session.csrfToken)) throw errors.forbidden('The CSRF token is missing or wrong.');
      app.stores.sessions.delete(request.cookies[SESSION_COOKIE]!);
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (wantsJson(request)) return reply.code(204).send();
    return reply.redirect('/login', 303);
  });

  // Once the first account exists, a browser asking for the setup page (a bookmark, a second
  // tab, the form submitted twice) lands on the login page; API clients get the 404.
  app.get('/setup', async (request, reply) => {
    if (!users.needsSetup()) {
      if (acceptsHtml(request)) return reply.redirect('/login', 303);
      throw errors.notFound('The setup page');
    }
    return reply.type(HTML).header('Cache-Control', 'no-store').send(setupPage(app.assets, {}));
  });

  app.post('/setup', async (request, reply) => {
    if (!users.needsSetup()) {
      if (!wantsJson(request)) return reply.redirect('/login', 303);
      throw errors.notFound('The setup page');
    }
    assertSameOrigin(request, app.config.http.publicUrl);
    const parsed = setupInput.safeParse(request.body ?? {});
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => issue.message).join('; ');
      if (wantsJson(request)) throw errors.validation(message, parsed.error.issues.map((issue) => ({ field: `body.${issue.path.join('.')}`, message: issue.message })));
      const raw = (request.body ?? {}) as Record<string, string>;
      return reply.code(400).type(HTML).send(setupPage(app.assets, { error: message, name: raw.name, email: raw.email }));
    }
    const user = await users.setup(parsed.data);
    const session = startSession(request, reply, user.id);
    if (wantsJson(request)) return reply.code(201).send({ user, csrfToken: session.csrfToken });
    return reply.redirect('/admin', 303);
  });

  /** The logged-in user and the CSRF token the UI sends with writes. */
  app.get('/api/session', { schema: { response: { 200: sessionOutput } } }, async (request, reply) => {
    const session = currentSession(request);
    if (!session) throw errors.unauthenticated('Not logged in.');
    return reply.header('Cache-Control', 'no-store').send({ user: session.actor, csrfToken: session.csrfToken, expiresAt: session.expiresAt });
  });
};
