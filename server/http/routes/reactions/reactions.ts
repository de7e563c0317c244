import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams, participationPatch, participationSettings, postReactions, reactInput, reactOutput, slugParams } from '../../../../contract/index.js';
import { AppError } from '../../../domain/errors.js';
import { requireRole } from '../../plugins/auth.js';
import { audienceOf } from '../../audience.js';

/**
 * Reactions (issue 19): a reader reacts to an entry (anonymous: a browser-made id, one reaction
 * per entry, toggled), the page reads a post's counts, editors turn reactions on and off.
 *
 * A reaction does not draw on the write budget authors and editors share
 * (RATE_LIMIT_WRITES_PER_MINUTE): readers get a budget of their own per address
 * (READER_WRITES_PER_MINUTE), so a crowd reacting never blocks the newsroom behind the same Wi-Fi.
 */
/** The readers' budget per address (reactions, votes, questions share it), as a preHandler. */
export function readerLimit(app: FastifyInstance): (request: FastifyRequest) => Promise<void> {
  const perMinute = app.config.http.rateLimit.readerWritesPerMinute;
  const limiter = (readerLimiters.get(app) ?? readerLimiters.set(app, app.createRateLimit({ max: perMinute, timeWindow: 60_000, keyGenerator: (request) => `reader:${request.ip}` })).get(app))!;
  return async (request) => {
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    throw new AppError(429, 'rate-limited', 'Too many requests', `Too many reader requests from this address (at most ${perMinute} a minute); retry in ${result.ttlInSeconds} s.`, { instance: request.url }, { 'Retry-After': String(result.ttlInSeconds) });
  };
}

/** One limiter (one count per address) per server, whichever route asks first. */
const readerLimiters = new WeakMap<FastifyInstance, ReturnType<FastifyInstance['createRateLimit']>>();

export const reactionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { reactions } = app.participation;
  const limit = readerLimit(app);

  app.post(
    '/api/entries/:id/reactions',
    {
      config: { rateLimit: false },
      schema: { params: idParams, body: reactInput, response: { 200: reactOutput } },
      preHandler: limit,
    },
    async (request, reply) => reply.header('Cache-Control', 'no-store').send(await reactions.react(request.params.id, request.body)),
  );

  app.get('/api/posts/:slug/reactions', { schema: { params: slugParams, response: { 200: postReactions } } }, async (request, reply) => {
    const post = app.services.posts.bySlug(request.params.slug, audienceOf(request));
    // Counts move every second at a keynote: a second's micro-caching is all they can take.
    return reply.header('Cache-Control', 'public, max-age=1').send(reactions.ofPost(post.id));
  });

  app.get('/api/posts/:slug/participation', { schema: { params: slugParams, response: { 200: participationSettings } } }, async (request, reply) => {
    const post = app.services.posts.bySlug(request.params.slug, audienceOf(request));
    return reply.header('Cache-Control', 'no-cache').send(reactions.settings(post.id));
  });

  app.patch(
    '/api/posts/:slug/participation',
    { preHandler: requireRole('editor'), schema: { params: slugParams, body: participationPatch, response: { 200: participationSettings } } },
    async (request, reply) => {
      const post = app.services.posts.bySlug(request.params.slug, 'newsroom');
      const settings = reactions.updateSettings(post.id, post.slug, request.body);
      return reply.header('Cache-Control', 'no-store').send(settings);
    },
  );
};
