import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrate } from './db/migrate.js';
import { adminRoutes } from './http/admin.js';
import { deskRoutes } from './http/api/desk.js';
import { entryRoutes } from './http/api/entries.js';
import { archiveRoutes } from './http/archive.js';
import { postRoutes } from './http/api/posts.js';
import { previewRoutes } from './http/api/preview.js';
import { uploadRoutes } from './http/api/uploads.js';
import { userRoutes } from './http/api/users.js';
import { healthRoutes } from './http/health.js';
import { pageRoutes } from './http/pages.js';
import { PROBLEM_TYPE_BASE, registerErrorHandling, sendProblem } from './http/problems.js';
import { registerLoadShedding } from './http/load-shedding.js';
import { registerRateLimits } from './http/rate-limit.js';
import { registerSecurityHeaders } from './http/security.js';
import { sessionRoutes } from './http/session.js';
import { registerMetrics } from './metrics/http.js';
import { Metrics } from './metrics/metrics.js';
import { timeTransactions } from './metrics/sqlite.js';
import { registerReadiness } from './http/ready.js';
import { buildRealtimeNode, type RealtimeNode } from './realtime/node.js';
import { StorePostSource } from './realtime/source.js';
import { CLIENT_DIST, loadAssets, type Assets } from './render/assets.js';
import { assertSanitizerSafe, MarkdownRenderer } from './render/markdown.js';
import { notFoundPage } from './render/pages.js';
import { ArchiveService } from './services/archives.js';
import { BackupScheduler } from './services/backups.js';
import { createStores, type Renderer, type Stores } from './services/context.js';
import { EntryService, IDEMPOTENCY_TTL_MS } from './services/entries.js';
import { PostService } from './services/posts.js';
import { UserService } from './services/users.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    stores: Stores;
    services: { posts: PostService; entries: EntryService; archives: ArchiveService; users: UserService };
    renderer: Renderer;
    realtime: RealtimeNode;
    metrics: Metrics;
    assets: Assets;
  }
}

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
};

/** Every request body is small JSON (a post with 100 escaped tags fits); 413 beyond. */
export const BODY_LIMIT = 64 * 1024;

/** Log paths that may carry credentials; pino replaces their values with [Redacted]. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'headers.authorization', 'headers.cookie', '*.password', '*.token'];

/** Builds the whole server without listening: main.ts listens, tests use it directly. */
export async function buildApp({ config, db: givenDb, logger = true, logStream, renderer: givenRenderer, pressureSampleIntervalMs }: BuildOptions): Promise<FastifyInstance> {
  // Refuse to serve user HTML at all if the sanitizer would let a known vector through.
  assertSanitizerSafe();

  const { timeouts } = config;
  const app = Fastify({
    logger: logger ? { level: config.logLevel, redact: REDACT, ...(logStream ? { stream: logStream } : {}) } : false,
    // Behind a reverse proxy the real client address comes from X-Forwarded-For (TRUST_PROXY).
    trustProxy: config.trustProxy,
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

  const metrics = new Metrics();
  const db = givenDb ?? openDatabase(config.databasePath);
  migrate(db);
  timeTransactions(db, metrics.sqliteWriteDuration);
  const stores = createStores(db);
  // The same realtime node as a fan-out node's (server/realtime/node.ts); with REDIS_URL its
  // publisher also sends each change through Redis to every fan-out node, and it never throws.
  const realtime = buildRealtimeNode({
    httpServer: app.server,
    config,
    role: 'primary',
    source: new StorePostSource(stores),
    log: app.log,
    metrics,
    lastSeqOf: (postId) => stores.posts.byId(postId)?.lastSeq,
  });
  const ownRenderer = givenRenderer ? undefined : new MarkdownRenderer();
  const renderer: Renderer = givenRenderer ?? ownRenderer!;
  const deps = { stores, publisher: realtime.publisher, renderer };

  app.decorate('config', config);
  app.decorate('stores', stores);
  app.decorate('services', {
    posts: new PostService(deps),
    entries: new EntryService(deps),
    archives: new ArchiveService(deps),
    users: new UserService(stores),
  });
  app.decorate('renderer', renderer);
  app.decorate('realtime', realtime);
  app.decorate('metrics', metrics);
  app.decorate('assets', loadAssets());

  registerErrorHandling(app);
  // Order matters: shed load before anything else runs, then headers, then rate limits (their
  // onRoute hooks must be in place before the routes below are declared).
  await registerLoadShedding(app, pressureSampleIntervalMs === undefined ? {} : { sampleIntervalMs: pressureSampleIntervalMs });
  await registerSecurityHeaders(app);
  await registerRateLimits(app);
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/')) {
      return sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'not-found', title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}.` });
    }
    return reply.code(404).type('text/html; charset=utf-8').send(notFoundPage(app.assets));
  });

  if (existsSync(CLIENT_DIST)) {
    // File names carry a content hash, so they can be cached forever.
    await app.register(fastifyStatic, { root: CLIENT_DIST, prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  }
  await app.register(fastifyCookie);
  await app.register(healthRoutes);
  registerMetrics(app, metrics);
  registerReadiness(app, () => ({ database: databaseAnswers(db), ...realtime.checks() }));
  await app.register(postRoutes);
  await app.register(entryRoutes);
  await app.register(pageRoutes);
  await app.register(archiveRoutes);
  await app.register(sessionRoutes);
  await app.register(adminRoutes);
  await app.register(userRoutes);
  await app.register(deskRoutes);
  await app.register(previewRoutes);
  await app.register(uploadRoutes);

  const purge = setInterval(() => {
    const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
    stores.idempotency.purgeOlderThan(cutoff);
    stores.sessions.purgeExpired(new Date().toISOString());
  }, 60 * 60 * 1000);
  purge.unref();
  const backups = config.backup ? new BackupScheduler(db, config.backup, app.log) : undefined;
  backups?.start();

  // Sockets first: an open WebSocket would keep the HTTP server from closing.
  app.addHook('preClose', () => realtime.close());
  app.addHook('onClose', async () => {
    clearInterval(purge);
    await backups?.stop();
    await ownRenderer?.close();
    if (!givenDb) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
  });
  return app;
}

function databaseAnswers(db: Db): boolean {
  try {
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}
