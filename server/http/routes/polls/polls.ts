import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { entrySchema, idParams, pollInput, pollSchema, postPolls, slugParams, voteInput, voteOutput } from '../../../../contract/index.js';
import { requireUser } from '../../plugins/auth.js';
import { audienceOf } from '../../audience.js';
import { readerLimit } from '../reactions/reactions.js';

/**
 * Polls (issue 19): authors and editors publish an entry holding a poll and close it; readers
 * read the results and vote once (anonymous, with the reader budget per address reactions use).
 */
export const pollRoutes: FastifyPluginAsyncZod = async (app) => {
  const { polls } = app.participation;
  const limit = readerLimit(app);

  app.post(
    '/api/posts/:slug/polls',
    { preHandler: requireUser, schema: { params: slugParams, body: pollInput, response: { 201: z.object({ entry: entrySchema, poll: pollSchema }) } } },
    async (request, reply) => {
      const created = await polls.create(request.actor, request.params.slug, request.body);
      return reply.code(201).header('Location', `/api/polls/${created.poll.id}`).send(created);
    },
  );

  app.get('/api/posts/:slug/polls', { schema: { params: slugParams, response: { 200: postPolls } } }, async (request, reply) => {
    const post = app.services.posts.bySlug(request.params.slug, audienceOf(request));
    return reply.header('Cache-Control', 'public, max-age=1').send({ polls: polls.ofPost(post.id) });
  });

  app.post(
    '/api/polls/:id/votes',
    { config: { rateLimit: false }, preHandler: limit, schema: { params: idParams, body: voteInput, response: { 200: voteOutput } } },
    async (request, reply) => reply.header('Cache-Control', 'no-store').send(await polls.vote(request.params.id, request.body)),
  );

  app.post('/api/polls/:id/close', { preHandler: requireUser, schema: { params: idParams, response: { 200: pollSchema } } }, async (request, reply) =>
    reply.header('Cache-Control', 'no-store').send(polls.close(request.params.id)),
  );
};
