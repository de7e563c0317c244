import { existsSync } from 'node:fs';
import type { Agent } from 'node:https';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { trustFunction } from './domain/proxies.js';
import type { Db } from './db/connection.js';
import { auth } from './http/plugins/auth.js';
import { compression } from './http/plugins/compression.js';
import { embedRoutes } from './http/routes/embeds/embeds.js';
import { loadShedding } from './http/plugins/load-shedding.js';
import { problems } from './http/plugins/problems.js';
import { rateLimits } from './http/plugins/rate-limit.js';
import { requestMetrics } from './http/plugins/request-metrics.js';
import { securityHeaders } from './http/plugins/security-headers.js';
import { unicode } from './http/plugins/unicode.js';
import { adminRoutes } from './http/routes/admin/admin.js';
import { serviceWorkerRoutes } from './http/routes/admin/service-worker.js';
import { archiveRoutes } from './http/routes/archives/archives.js';
import { entryRoutes } from './http/routes/entries/entries.js';
import { eventRoutes } from './http/routes/events/events.js';
import { feedRoutes } from './http/routes/feeds/feeds.js';
import { healthRoutes } from './http/routes/health/health.js';
import { pageRoutes } from './http/routes/pages/pages.js';
import { pollRoutes } from './http/routes/polls/polls.js';
import { insightsRoutes } from './http/routes/insights/insights.js';
import { postRoutes } from './http/routes/posts/posts.js';
import { pushRoutes } from './http/routes/push/push.js';
import { questionRoutes } from './http/routes/questions/questions.js';
import { reactionRoutes } from './http/routes/reactions/reactions.js';
import { searchRoutes } from './http/routes/search/search.js';
import { sessionRoutes } from './http/routes/session/session.js';
import { siteRoutes } from './http/routes/site/site.js';
import { uploadRoutes } from './http/routes/uploads/uploads.js';
import { peopleRoutes } from './http/routes/people/people.js';
import { userRoutes } from './http/routes/users/users.js';
import { webhookRoutes } from './http/routes/webhooks/webhooks.js';
import { assetsPlugin } from './plugins/assets.js';
import { configPlugin } from './plugins/config.js';
import { databasePlugin } from './plugins/database.js';
import { housekeepingPlugin } from './plugins/housekeeping.js';
import { importParserPlugin } from './plugins/import-parser.js';
import { metricsPlugin } from './plugins/metrics.js';
import { participationPlugin, withAlerts } from './plugins/participation.js';
import { rendererPlugin } from './plugins/renderer.js';
import { servicesPlugin } from './plugins/services.js';
import { draftsPlugin } from './plugins/drafts.js';
import { draftRoutes } from './http/routes/drafts/drafts.js';
import { webhooksPlugin } from './plugins/webhooks.js';
import { buildRealtimeNode, type RealtimeNode } from './realtime/node.js';
import { loadRedisLibraries, type RedisLibraries } from './realtime/redis-libraries.js';
import { StorePostSource } from './realtime/source.js';
import { CLIENT_DIST } from './render/assets.js';
import { assertSanitizerSafe } from './render/markdown.js';
import type { Renderer } from './services/context.js';
import type { Publisher } from './services/publisher.js';
import { DraftPostGate } from './services/draft-post-gate.js';

/**
 * Builds the primary's whole server without listening: main.ts listens, tests use it directly.
 * A list of plugin registrations, in layers (as in fastify/demo): the application's state
 * (server/plugins/, each resource closing itself next to where it is made), the realtime node,
 * then the HTTP plugins every route shares (server/http/plugins/), then the routes, one folder per
 * noun (server/http/routes/). Order matters for the plugins that act on route declarations
 * (rate limits, helmet's per-route options): they come before the routes. A fan-out node is
 * built by fanout.ts.
 */

export type BuildOptions = {
  config: Config;
  db?: Db;
  logger?: boolean;
  /** Where log lines go (default stdout); tests capture them to prove secrets never appear. */
  logStream?: DestinationStream;
  /** Markdown renderer (default: the worker pool); tests pass one they can hold mid-write. */
  renderer?: Renderer;
  /** How often event-loop delay is sampled for load shedding (tests use a short interval). */
  pressureSampleIntervalMs?: number;
  /** The HTTPS agent Web Push alerts are sent with (tests: one that trusts a local push service). */
  pushAgent?: Agent;
};

/** Every request body is small JSON (a post with 100 escaped tags fits); 413 beyond. */
export const BODY_LIMIT = 64 * 1024;

/** Log paths that may carry credentials; pino replaces their values with [Redacted]. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie', '*.password', '*.token'];

export async function buildApp({ config, db, logger = true, logStream, renderer, pressureSampleIntervalMs, pushAgent }: BuildOptions): Promise<FastifyInstance> {
  // Refuse to serve user HTML at all if the sanitizer would let a known vector through.
  assertSanitizerSafe();

  const { timeouts } = config.http;
  const app = Fastify({
    logger: logger ? { level: config.logLevel, redact: REDACT, ...(logStream ? { stream: logStream } : {}) } : false,
    // Behind a reverse proxy the real client address comes from X-Forwarded-For (TRUST_PROXY).
    trustProxy: trustFunction(config.http.trustProxy),
    bodyLimit: BODY_LIMIT,
    // Slow clients must not hold sockets forever: whole request, headers, idle keep-alive.
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
      // Node checks those deadlines on this interval (default 30 s, too coarse for short ones).
      connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(timeouts.headersMs / 2))),
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // --- the application's state
  await app.register(configPlugin, { config });
  await app.register(metricsPlugin);
  await app.register(databasePlugin, { db });
  await app.register(rendererPlugin, { renderer });
  await app.register(importParserPlugin);
  await app.register(assetsPlugin);
  // Webhooks (primary only): every publish also wakes the deliverer, which reads the change log.
  await app.register(webhooksPlugin);
  // Key moments also go out as Web Push alerts (issue 19), once the participation plugin is up.
  // A draft post's changes reach only the newsroom's desks (issue 17, services/draft-post-gate.ts).
  const draftPosts = new DraftPostGate((postId) => app.stores.posts.isDraft(postId), app.log);
  app.decorate('draftPosts', draftPosts);
  const publisher = draftPosts.wrap(
    alsoWaking(
      withAlerts(buildRealtime(app, await loadRedisLibraries(config.scaleOut.redisUrl)), () => (app.hasDecorator('participation') ? app.participation.push : undefined)),
      () => app.webhooks.deliverer.wake(),
    ),
  );
  await app.register(servicesPlugin, { publisher });
  // Drafts, the review queue, scheduled entries and the newsroom socket (issue 17): the primary's alone.
  await app.register(draftsPlugin, { publisher });
  await app.register(housekeepingPlugin);
  await app.register(participationPlugin, pushAgent ? { pushAgent } : {});

  // --- what every route shares. Load shedding first, so a request it refuses costs nothing else.
  await app.register(problems);
  await app.register(loadShedding, { sampleIntervalMs: pressureSampleIntervalMs });
  await app.register(securityHeaders);
  await app.register(requestMetrics);
  await app.register(compression);
  if (existsSync(CLIENT_DIST)) {
    // File names carry a content hash, so they can be cached forever.
    // Each comes with .br and .gz copies from the build (scripts/precompress-assets.mjs).
    await app.register(fastifyStatic, { root: CLIENT_DIST, prefix: '/assets/', immutable: true, maxAge: '365d', index: false, preCompressed: true });
  }
  await app.register(fastifyCookie);
  await app.register(auth);
  await app.register(unicode);
  await app.register(rateLimits);

  // --- routes, by noun
  await app.register(healthRoutes);
  await app.register(postRoutes);
  await app.register(entryRoutes);
  await app.register(draftRoutes);
  await app.register(searchRoutes);
  await app.register(eventRoutes, { node: () => app.realtime.events });
  await app.register(pageRoutes);
  await app.register(feedRoutes);
  await app.register(embedRoutes);
  await app.register(archiveRoutes);
  await app.register(sessionRoutes);
  await app.register(adminRoutes);
  await app.register(serviceWorkerRoutes);
  await app.register(userRoutes);
  await app.register(uploadRoutes);
  await app.register(peopleRoutes);
  await app.register(siteRoutes);
  await app.register(webhookRoutes);
  await app.register(reactionRoutes);
  await app.register(pollRoutes);
  await app.register(questionRoutes);
  await app.register(pushRoutes);
  await app.register(insightsRoutes);
  return app;
}

// --- realtime node ----------------------------------------------------------------------------
// Socket.IO on this server: the same node a fan-out node builds (server/realtime/node.ts: guards,
// rooms, presence, metrics, the framed-once wire), with the SQLite source; with REDIS_URL its
// publisher also sends each change through Redis to every fan-out node. It never throws into a
// request: a failure after COMMIT is logged and counted (afterCommit).

declare module 'fastify' {
  interface FastifyInstance {
    realtime: RealtimeNode;
    /** Wraps every publisher services use: a draft post's changes go to the desks only. */
    draftPosts: DraftPostGate;
  }
}

function buildRealtime(app: FastifyInstance, redis: RedisLibraries | undefined): Publisher {
  const { config, stores, metrics } = app;
  const realtime = buildRealtimeNode({
    httpServer: app.server,
    config,
    role: 'primary',
    source: new StorePostSource(stores),
    log: app.log,
    metrics,
    lastSeqOf: (postId) => stores.posts.byId(postId)?.lastSeq,
    redis,
  });
  app.decorate('realtime', realtime);
  // Sockets first: an open WebSocket would keep the HTTP server from closing.
  app.addHook('preClose', () => realtime.close());
  return realtime.publisher;
}
/** The realtime publisher, then a wake-up for the webhook outbox; neither throws into the request. */
function alsoWaking(publisher: Publisher, wake: () => void): Publisher {
  return {
    publish(change) {
      publisher.publish(change);
      try {
        wake();
      } catch {
        // The deliverer's own scan finds the change within a second.
      }
    },
  };
}
// --- end of the realtime node -----------------------------------------------------------------
