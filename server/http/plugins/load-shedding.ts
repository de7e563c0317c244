import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import underPressure from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { PROBLEM_TYPE_BASE, sendProblem } from './problems.js';

/**
 * Load shedding under event-loop pressure (@fastify/under-pressure).
 *
 * Shedding happens only at the door (the onRequest hook, before the body is even read), so a
 * request that got past it, in particular a write that is rendering or committing, always runs
 * to completion. Reads and pages go first (LOAD_SHED_READ_DELAY_MS): readers retry and can be
 * served by caches; writes are refused only at the higher LOAD_SHED_WRITE_DELAY_MS.
 * /healthz and the hashed static assets are never shed. Registered first, so its onRequest hook
 * runs before any other work is done for a request.
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

const RESOLUTION_MS = 10;

/**
 * The event-loop delay over the last interval. under-pressure's own `maxEventLoopDelay` takes the
 * mean of monitorEventLoopDelay's samples since its last check and reads "no sample" (NaN) as
 * Infinity, so one busy stretch longer than its interval (a broadcast to 10,000 readers, a full
 * GC) made it refuse every request for an interval, writes included, whatever the thresholds.
 * Here an interval without a sample falls back to what this interval's own timer waited.
 */
export class LoopDelay {
  delayMs = 0;
  private readonly histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();

  constructor(intervalMs: number) {
    this.histogram.enable();
    this.timer = setInterval(() => {
      const now = performance.now();
      const waited = Math.max(0, now - this.last - intervalMs);
      this.last = now;
      const mean = this.histogram.count > 0 ? this.histogram.mean / 1e6 - RESOLUTION_MS : 0;
      this.delayMs = Math.max(waited, mean);
      this.histogram.reset();
    }, intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}

export type LoadSheddingOptions = {
  /** How often the event-loop delay is sampled (tests use a short interval). */
  sampleIntervalMs?: number | undefined;
};

export const loadShedding = fp<LoadSheddingOptions>(
  async (app, options) => {
    const { readDelayMs, writeDelayMs } = app.config.http.loadShedding;
    if (readDelayMs === 0 && writeDelayMs === 0) return;
    // The lower threshold marks the server unhealthy; the handler then decides per request.
    const threshold = Math.min(...[readDelayMs, writeDelayMs].filter((ms) => ms > 0));
    const sampleIntervalMs = options.sampleIntervalMs ?? SAMPLE_INTERVAL_MS;
    const loop = new LoopDelay(sampleIntervalMs);
    app.addHook('onClose', async () => loop.close());
    await app.register(underPressure, {
      healthCheck: async () => loop.delayMs <= threshold,
      healthCheckInterval: sampleIntervalMs,
      // Async so under-pressure waits for it; once a reply is sent, Fastify stops (runPreParsing checks reply.sent).
      pressureHandler: async (request: FastifyRequest, reply: FastifyReply) => {
        if (isExempt(request)) return;
        const delay = loop.delayMs;
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
  },
  { name: 'load-shedding', dependencies: ['config'] },
);
