import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { slugParams } from '../../../../contract/index.js';
import { ChangeStream, type StreamNode } from '../../../syndication/sse.js';
import { PROBLEM_TYPE_BASE, sendProblem } from '../../plugins/problems.js';

/**
 * `GET /api/posts/:slug/events`: a post's public changes as Server-Sent Events, for partners and
 * clients that do not speak Socket.IO (server/syndication/sse.ts says how replay and live meet).
 * Registered by the primary (app.ts) and by fan-out nodes (fanout.ts), each with its own realtime
 * node's source and live changes, so nginx can send streams to the fan-out pool like sockets.
 *
 * The fan-out app has no zod type provider, so the route checks its inputs itself and answers
 * with sendProblem, as every other error of the API does (problem+json).
 */

const seqText = z.string().regex(/^\d{1,15}$/, 'must be a seq: a whole number').transform(Number);
const eventsQuery = z.object({ since: seqText.optional() });

export const eventRoutes: FastifyPluginAsync<{ node: () => StreamNode }> = async (app, { node }) => {
  app.get('/api/posts/:slug/events', async (request, reply) => {
    const params = slugParams.safeParse(request.params);
    if (!params.success) return invalid(reply, 'slug', params.error.issues[0]?.message);
    const query = eventsQuery.safeParse(request.query);
    if (!query.success) return invalid(reply, 'since', query.error.issues[0]?.message);
    // EventSource sends the last id it saw when it reconnects; it wins over the URL's ?since=,
    // which stays the same on every reconnect.
    const header = request.headers['last-event-id'];
    const lastEventId = header === undefined || header === '' ? undefined : seqText.safeParse(header);
    if (lastEventId && !lastEventId.success) return invalid(reply, 'Last-Event-ID', lastEventId.error.issues[0]?.message);
    const since = lastEventId?.data ?? query.data.since;

    const events = node();
    const { slug } = params.data;
    const postId = await events.source.find(slug);
    if (postId === undefined) {
      return sendProblem(reply, { type: PROBLEM_TYPE_BASE + 'not-found', title: 'Not found', status: 404, detail: `The post "${slug}" does not exist.` });
    }
    const release = events.admit(request.raw);
    if (!release) {
      return sendProblem(
        reply,
        { type: PROBLEM_TYPE_BASE + 'too-many-requests', title: 'Too many requests', status: 429, detail: 'Too many open streams from this address; follow /changes?since=SEQ&poll=1 meanwhile.', retryAfter: 30 },
        { 'Retry-After': '30' },
      );
    }

    // From here the response is ours: headers set so far (security headers) go out with it.
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // nginx passes each frame on at once (the template turns buffering off for this path too).
      'X-Accel-Buffering': 'no',
      // A stream's connection is not reused: once it ends (shutdown, a slow reader) it closes,
      // instead of idling in keep-alive where a closing server would wait for it.
      Connection: 'close',
    });
    response.flushHeaders();
    const stream = new ChangeStream({
      slug,
      postId,
      since,
      source: events.source,
      live: events.live,
      response,
      heartbeatMs: events.heartbeatMs,
      maxBufferedBytes: events.maxBufferedBytes,
      onError: (error) => request.log.warn({ err: error, slug }, 'an event stream failed; its client reconnects with Last-Event-ID'),
    });
    events.open.add(stream);
    response.once('close', () => {
      events.open.delete(stream);
      release();
    });
    await stream.start();
  });
};

function invalid(reply: FastifyReply, field: string, message = 'is invalid'): FastifyReply {
  return sendProblem(reply, {
    type: PROBLEM_TYPE_BASE + 'validation',
    title: 'Invalid request',
    status: 400,
    detail: `${field}: ${message}`,
    errors: [{ field, message }],
  });
}
