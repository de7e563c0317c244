import type { FastifyRequest } from 'fastify';

/**
 * Absolute URLs (canonical links, feeds, JSON-LD, the embed snippet) need an origin: PUBLIC_URL
 * when it is configured, since behind a proxy the request's own Host may be an internal name;
 * else the origin the request came to.
 */
export function publicOrigin(request: FastifyRequest): string {
  return request.server.config.http.publicUrl ?? `${request.protocol}://${request.host}`;
}
