import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../domain/errors.js';
import { knownActor } from './auth.js';

/**
 * Rate limits (@fastify/rate-limit).
 *
 * Writes (POST, PUT, PATCH, DELETE under /api/) share ONE budget per person across every route
 * (security review M7: the budget used to be per route, about 15 times the documented one, and
 * cookie sessions shared the per-address bucket of anonymous requests, so 120 anonymous POSTs on
 * the venue Wi-Fi blocked the newsroom). A request counts against the user its token or session
 * belongs to; anonymous requests and unknown tokens against their address, in a bucket of their
 * own. A route may opt out with `config: { rateLimit: false }`.
 * Login has its own throttling (routes/session). Over the limit: 429 problem+json with Retry-After.
 * Registered after the cookie and auth plugins, whose work it uses to tell who is asking.
 */

/** Whose budget a write counts against. */
export function rateLimitKey(request: FastifyRequest): string {
  const actor = knownActor(request);
  return actor ? `user:${actor.id}` : `anonymous:${request.ip}`;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isWrite(request: FastifyRequest): boolean {
  return WRITE_METHODS.has(request.method) && request.url.startsWith('/api/') && request.routeOptions.config?.rateLimit !== false;
}

export const rateLimits = fp(
  async (app) => {
    await app.register(fastifyRateLimit, {
      global: false,
      errorResponseBuilder: (request, context) =>
        new AppError(
          context.statusCode,
          'rate-limited',
          'Too many requests',
          `Too many requests (at most ${context.max} in this time window); retry in ${context.after}.`,
          { instance: request.url },
        ),
    });
    // One limiter, so one store: every write route draws on the same count per person.
    const perMinute = app.config.http.rateLimit.writesPerMinute;
    const writes = app.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: rateLimitKey });
    app.addHook('onRequest', async (request) => {
      if (!isWrite(request)) return;
      const result = await writes(request);
      if (result.isAllowed || !result.isExceeded) return;
      throw new AppError(429, 'rate-limited', 'Too many requests', `Too many writes (at most ${perMinute} a minute); retry in ${result.ttlInSeconds} s.`, { instance: request.url }, { 'Retry-After': String(result.ttlInSeconds) });
    });
  },
  { name: 'rate-limits', dependencies: ['config', 'auth'] },
);
