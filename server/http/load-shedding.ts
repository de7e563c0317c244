import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPE_BASE, sendProblem } from './problems.js';

/**
 * Load shedding under event-loop pressure (@fastify/under-pressure).
 *
 * Shedding happens only at the door (the onRequest hook, before the body is even read), so a
 * request that got past it, in particular a write that is rendering or committing, always runs
 * to completion. Reads and pages go first (LOAD_SHED_READ_DELAY_MS): readers retry and can be
 * served by caches; writes are refused only at the higher LOAD_SHED_WRITE_DELAY_MS.
 * /healthz and the hashed static assets are never shed.
 */
export const RETRY_AFTER_SECONDS = 5;
const SAMPLE_INTERVAL_MS = 250;

function isRead(request: FastifyRequest): boolean {
  return request.method === 'GET' || request.method === 'HEAD';
}

function isExempt(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!;
  return path === '/healthz' || path.startsWith('/assets/');
}

export async function registerLoadShedding(app: FastifyInstance, options: { sampleIntervalMs?: number } = {}): Promise<void> {
  const { readDelayMs, writeDelayMs } = app.config.loadShedding;
  if (readDelayMs === 0 && writeDelayMs === 0) return;
  // under-pressure's own threshold is the lower one; the handler decides per request.
  const threshold = Math.min(...[readDelayMs, writeDelayMs].filter((ms) => ms > 0));
  await app.register(underPressure, {
    maxEventLoopDelay: threshold,
    sampleInterval: options.sampleIntervalMs ?? SAMPLE_INTERVAL_MS,
    // Async so under-pressure waits for it; once a reply is sent, Fastify stops (runPreParsing checks reply.sent).
    pressureHandler: async (request: FastifyRequest, reply: FastifyReply, _type: string, value: number | undefined) => {
      if (isExempt(request)) return;
      const delay = value ?? 0;
      const limit = isRead(request) ? readDelayMs : writeDelayMs;
      if (limit === 0 || delay <= limit) return; // let it through
      request.log.warn({ eventLoopDelayMs: Math.round(delay), method: request.method }, 'shedding load: 503');
      void sendProblem(
        reply,
        {
          type: PROBLEM_TYPE_BASE + 'overloaded',
          title: 'Service overloaded',
          status: 503,
          detail: `The server is under heavy load; retry in ${RETRY_AFTER_SECONDS} s.`,
          instance: request.url,
        },
        { 'Retry-After': String(RETRY_AFTER_SECONDS) },
      );
    },
  });
}
