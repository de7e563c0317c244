import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { entrySchema, idParams, publishQuestionInput, questionBlocklist, questionInput, questionQueue, questionTicket, slugParams } from '../../../../contract/index.js';
import { AppError } from '../../../domain/errors.js';
import { requireRole, requireUser } from '../../plugins/auth.js';
import { readerLimit } from '../reactions/reactions.js';

/**
 * Questions to the desk (issue 19): the reader's form (a ticket, then the question), and the
 * newsroom's moderation queue: listed, followed live as an event stream (logged in only: the
 * queue holds personal data and never reaches a reader's socket room), published into an entry,
 * deleted; the block list. The stream is HTTP, so in a cluster it is the primary's (nginx sends
 * everything but /socket.io/ there), the one node that sees every question arrive.
 */

/** A comment line every so often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 20_000;

export const questionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { questions } = app.participation;
  const { questionsPer10Minutes } = app.config.participation;
  const readers = readerLimit(app);
  const asking = app.createRateLimit({ max: questionsPer10Minutes, timeWindow: 600_000, keyGenerator: (request) => `question:${request.ip}` });
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get('/api/posts/:slug/questions/ticket', { schema: { params: slugParams, response: { 200: questionTicket } } }, async (request, reply) => {
    const post = app.services.posts.bySlug(request.params.slug);
    return reply.header('Cache-Control', 'no-store').send({ ticket: questions.ticket(post.id) });
  });

  app.post(
    '/api/posts/:slug/questions',
    {
      config: { rateLimit: false },
      preHandler: async (request) => {
        await readers(request);
        const result = await asking(request);
        if (result.isAllowed || !result.isExceeded) return;
        throw new AppError(429, 'rate-limited', 'Too many requests', `Too many questions from this address (at most ${questionsPer10Minutes} in 10 minutes); retry in ${result.ttlInSeconds} s.`, { instance: request.url }, { 'Retry-After': String(result.ttlInSeconds) });
      },
      schema: { params: slugParams, body: questionInput, response: { 202: z.object({ received: z.literal(true) }) } },
    },
    async (request, reply) => {
      const post = app.services.posts.bySlug(request.params.slug);
      questions.submit(post.id, request.body, request.ip);
      return reply.code(202).header('Cache-Control', 'no-store').send({ received: true });
    },
  );

  app.get('/api/posts/:slug/questions', { preHandler: requireUser, schema: { params: slugParams, response: { 200: questionQueue } } }, async (request, reply) => {
    const post = app.services.posts.bySlug(request.params.slug, 'newsroom');
    return reply.header('Cache-Control', 'no-store').send(questions.queue(post.id));
  });

  app.get('/api/posts/:slug/questions/events', { preHandler: requireUser, schema: { params: slugParams } }, async (request, reply) => {
    const post = app.services.posts.bySlug(request.params.slug, 'newsroom');
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', 'x-content-type-options': 'nosniff' });
    const send = (event: string, data: unknown) => stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    // The queue as it is, then every change to it: nothing falls between a read and the stream.
    send('snapshot', questions.queue(post.id));
    const stop = questions.listen(post.id, (event) => (event.type === 'question' ? send('question', event.question) : send('removed', { id: event.id })));
    const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
    streams.add(stream);
    request.raw.once('close', () => {
      clearInterval(heartbeat);
      stop();
      streams.delete(stream);
    });
  });

  app.post(
    '/api/questions/:id/publish',
    { preHandler: requireRole('editor'), schema: { params: idParams, body: publishQuestionInput, response: { 201: entrySchema } } },
    async (request, reply) => reply.code(201).send(await questions.publish(request.actor, request.params.id, request.body.answer, request.body.keyEvent)),
  );

  app.delete('/api/questions/:id', { preHandler: requireRole('editor'), schema: { params: idParams, response: { 204: z.null() } } }, async (request, reply) => {
    questions.delete(request.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/questions/blocklist', { preHandler: requireRole('editor'), schema: { response: { 200: questionBlocklist } } }, async (_request, reply) =>
    reply.header('Cache-Control', 'no-store').send(questions.blocklist()),
  );

  app.put('/api/questions/blocklist', { preHandler: requireRole('editor'), schema: { body: questionBlocklist, response: { 200: questionBlocklist } } }, async (request, reply) =>
    reply.header('Cache-Control', 'no-store').send(questions.setBlocklist(request.body)),
  );
};
