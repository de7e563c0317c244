import type { Server as HttpServer } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Change } from '../domain/types.js';
import { slugParam } from '../http/schemas.js';
import type { Publisher } from '../services/publisher.js';
import type { Stores } from '../services/context.js';
import type { SocketGuards } from './guards.js';

/** The socket protocol, from the reader's point of view. */
export type ServerToClient = {
  change: (change: Change) => void;
  /** How many readers follow the post, across all nodes; sent at most every few seconds. */
  presence: (presence: { slug: string; readers: number }) => void;
};
export type SubscribeAck = { ok: true; lastSeq: number } | { ok: false; error: { code: string; message: string } };
export type ClientToServer = {
  subscribe: (payload: unknown, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (payload: unknown, ack?: (result: { ok: boolean }) => void) => void;
};

const subscribePayload = z.strictObject({
  slug: slugParam,
  since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** At most this many changes are replayed over the socket; beyond, the client pages over HTTP. */
export const SOCKET_REPLAY_LIMIT = 100;
/** …and about this many bytes: a replay is cheap for the server whatever `since` a client sends. */
export const SOCKET_REPLAY_MAX_BYTES = 128 * 1024;
const MAX_SUBSCRIPTIONS_PER_SOCKET = 10;

export function roomOf(postId: number): string {
  return `post:${postId}`;
}

/** Socket.IO on the HTTP server: readers subscribe to posts and receive their changes. */
export class Realtime implements Publisher {
  readonly io: Server<ClientToServer, ServerToClient>;

  constructor(
    httpServer: HttpServer,
    private readonly stores: Stores,
    private readonly log: FastifyBaseLogger,
    guards?: SocketGuards,
  ) {
    this.io = new Server<ClientToServer, ServerToClient>(httpServer, {
      serveClient: false,
      ...(guards ? { allowRequest: guards.allowRequest } : {}),
      // Readers only send small subscribe messages.
      maxHttpBufferSize: 4 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
    });
    guards?.track(this.io);
    this.io.on('connection', (socket) => {
      guards?.limitEvents(socket);
      this.onConnection(socket);
    });
  }

  publish(postId: number, change: Change): void {
    this.io.to(roomOf(postId)).emit('change', change);
  }

  /**
   * Drops every reader connection so that they reconnect (to this server once restarted, or to
   * another node) and catch up; the HTTP server is Fastify's to close. Only the transports are
   * closed: a Socket.IO disconnect packet (`disconnectSockets`) would tell clients NOT to reconnect.
   */
  close(): void {
    this.io.engine.close();
  }

  private onConnection(socket: Socket<ClientToServer, ServerToClient>): void {
    socket.on('subscribe', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      try {
        reply(this.subscribe(socket, payload));
      } catch (error) {
        this.log.error({ err: error }, 'subscribe failed');
        reply({ ok: false, error: { code: 'internal', message: 'Subscription failed; retry.' } });
      }
    });
    socket.on('unsubscribe', (payload, ack) => {
      const parsed = subscribePayload.pick({ slug: true }).safeParse(payload);
      const post = parsed.success ? this.stores.posts.bySlug(parsed.data.slug) : undefined;
      if (post) void socket.leave(roomOf(post.id));
      if (typeof ack === 'function') ack({ ok: Boolean(post) });
    });
  }

  /**
   * Joins the post's room and replays what the reader missed, in the same synchronous step:
   * no change can be committed in between, so nothing is missed and nothing is sent twice.
   */
  private subscribe(socket: Socket<ClientToServer, ServerToClient>, payload: unknown): SubscribeAck {
    const parsed = subscribePayload.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'payload';
      return { ok: false, error: { code: 'invalid-payload', message: `${where}: ${issue?.message ?? 'is invalid'}` } };
    }
    const { slug, since } = parsed.data;
    // A reader page opened before a slug rename keeps following its post.
    const post = this.stores.posts.bySlugOrFormer(slug);
    if (!post) return { ok: false, error: { code: 'not-found', message: `The post "${slug}" does not exist.` } };
    const room = roomOf(post.id);
    if (!socket.rooms.has(room) && socket.rooms.size > MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return { ok: false, error: { code: 'too-many-subscriptions', message: `A connection may follow at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} posts.` } };
    }
    void socket.join(room);
    if (since !== undefined && since < post.lastSeq) {
      for (const change of this.stores.changes.since(post.id, since, SOCKET_REPLAY_LIMIT, SOCKET_REPLAY_MAX_BYTES)) socket.emit('change', change);
    }
    return { ok: true, lastSeq: post.lastSeq };
  }
}
