import { createHash } from 'node:crypto';
import fastifyRateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../domain/errors.js';

/**
 * Rate limits (@fastify/rate-limit), off by default and switched on per route:
 * - every write under /api/ (POST, PUT, PATCH, DELETE) gets `writeRateLimit` unless the route
 *   declares its own `config.rateLimit` (or `false` to opt out);
 * - a login route should declare `config: { rateLimit: loginRateLimit() }` (keyed by address,
 *   since a login attempt has no identity yet).
 * Over the limit: 429 problem+json with Retry-After (seconds). Registered before the routes: its
 * onRoute hook only sees routes declared after it.
 */

/** Who a request counts against: the API token when one is sent (hashed: keys are kept in memory), else the address. */
export function rateLimitKey(request: FastifyRequest): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (bearer) return `token:${createHash('sha256').update(bearer[1]!).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

export function writeRateLimit(perMinute: number): RateLimitOptions {
  return { max: perMinute, timeWindow: 60_000, keyGenerator: rateLimitKey, groupId: 'writes' };
}

export function loginRateLimit(perMinute = 10): RateLimitOptions {
  return { max: perMinute, timeWindow: 60_000, keyGenerator: (request) => `ip:${request.ip}`, groupId: 'login' };
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isWrite(method: string | string[], url: string): boolean {
  const methods = Array.isArray(method) ? method : [method];
  return url.startsWith('/api/') && methods.some((m) => WRITE_METHODS.has(m.toUpperCase()));
}

export const rateLimits = fp(
  async (app) => {
    const write = writeRateLimit(app.config.http.rateLimit.writesPerMinute);
    // Registered before the plugin so that its own onRoute hook sees the config we add here.
    app.addHook('onRoute', (route) => {
      if (!isWrite(route.method, route.url)) return;
      if (route.config && 'rateLimit' in route.config) return;
      route.config = { ...route.config, rateLimit: write };
    });
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
  },
  { name: 'rate-limits', dependencies: ['config'] },
);
