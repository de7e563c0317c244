import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPE_BASE, sendProblem } from './plugins/problems.js';

/**
 * `/metrics` and `/readyz` describe a node's insides (post slugs being read, reader counts,
 * whether Redis is down): for the operator's scraper, not for the public (security review L7:
 * they answered anyone who reached a node directly, past nginx). They answer a request from the
 * node's own machine (the connection's address, never a forwarded header), or one that carries
 * `Authorization: Bearer <METRICS_TOKEN>`. Anyone else gets the 404 any unknown path gets.
 */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function internalOnly(metricsToken: string | undefined) {
  const expected = metricsToken === undefined ? undefined : Buffer.from(`Bearer ${metricsToken}`);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (LOOPBACK.has(request.socket.remoteAddress ?? '')) return undefined;
    const sent = Buffer.from(request.headers.authorization ?? '');
    if (expected && sent.length === expected.length && timingSafeEqual(sent, expected)) return undefined;
    return sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'not-found', title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}.` });
  };
}
