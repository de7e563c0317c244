import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrate } from './db/migrate.js';
import { entryRoutes } from './http/api/entries.js';
import { postRoutes } from './http/api/posts.js';
import { healthRoutes } from './http/health.js';
import { pageRoutes } from './http/pages.js';
import { PROBLEM_TYPE_BASE, registerErrorHandling, sendProblem } from './http/problems.js';
import { registerMetrics } from './metrics/http.js';
import { instrumentPublisher, Metrics } from './metrics/metrics.js';
import { timeTransactions } from './metrics/sqlite.js';
import { registerReadiness } from './http/ready.js';
import { ScaleOut } from './realtime/scale-out.js';
import { Realtime } from './realtime/socket.js';
import { StorePostSource } from './realtime/source.js';
import { CLIENT_DIST, loadAssets, type Assets } from './render/assets.js';
import { assertSanitizerSafe, MarkdownRenderer } from './render/markdown.js';
import { notFoundPage } from './render/pages.js';
import { createStores, type Stores } from './services/context.js';
import { EntryService, IDEMPOTENCY_TTL_MS } from './services/entries.js';
import { PostService } from './services/posts.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    stores: Stores;
    services: { posts: PostService; entries: EntryService };
    realtime: Realtime;
    scaleOut: ScaleOut;
    metrics: Metrics;
    assets: Assets;
  }
}

export type BuildOptions = { config: Config; db?: Db; logger?: boolean };

/** Builds the whole server without listening: main.ts listens, tests use it directly. */
export async function buildApp({ config, db: givenDb, logger = true }: BuildOptions): Promise<FastifyInstance> {
  // Refuse to serve user HTML at all if the sanitizer would let a known vector through.
  assertSanitizerSafe();

  const app = Fastify({
    logger: logger ? { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers.cookie'] } : false,
    // Behind a reverse proxy the real client address comes from X-Forwarded-For; not trusted by default.
    trustProxy: false,
    requestTimeout: 30_000,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = new Metrics();
  const db = givenDb ?? openDatabase(config.databasePath);
  migrate(db);
  timeTransactions(db, metrics.sqliteWriteDuration);
  const stores = createStores(db);
  const source = new StorePostSource(stores);
  const realtime = new Realtime(app.server, source, app.log);
  // With REDIS_URL, io.to(room).emit() goes through Redis to every fan-out node (once per change).
  const scaleOut = new ScaleOut({
    io: realtime.io,
    role: 'primary',
    redisUrl: config.redisUrl,
    source,
    log: app.log,
    metrics,
    lastSeqOf: (postId) => stores.posts.byId(postId)?.lastSeq,
  });
  const renderer = new MarkdownRenderer();
  const deps = { stores, publisher: instrumentPublisher(scaleOut.publisher(realtime), metrics), renderer };

  app.decorate('config', config);
  app.decorate('stores', stores);
  app.decorate('services', { posts: new PostService(deps), entries: new EntryService(deps) });
  app.decorate('realtime', realtime);
  app.decorate('scaleOut', scaleOut);
  app.decorate('metrics', metrics);
  app.decorate('assets', loadAssets());

  registerErrorHandling(app);
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
  await app.register(healthRoutes);
  registerMetrics(app, metrics);
  registerReadiness(app, () => ({ database: databaseAnswers(db), ...scaleOut.checks() }));
  await app.register(postRoutes);
  await app.register(entryRoutes);
  await app.register(pageRoutes);

  const purge = setInterval(() => {
    const cutoff = new Date(Date.now() - IDEMPOTENCY_TTL_MS).toISOString();
    stores.idempotency.purgeOlderThan(cutoff);
  }, 60 * 60 * 1000);
  purge.unref();

  // Sockets first: an open WebSocket would keep the HTTP server from closing.
  app.addHook('preClose', async () => {
    realtime.close();
    await scaleOut.close();
  });
  app.addHook('onClose', async () => {
    clearInterval(purge);
    await renderer.close();
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
