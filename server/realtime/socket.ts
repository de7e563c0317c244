import type { Server as HttpServer } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Publisher } from '../services/publisher.js';
import type { SocketGuards } from './guards.js';
import { DirectBroadcast } from './direct-broadcast.js';
import { PreSerialized, preSerializedParser } from './pre-serialized.js';
import type { LoggedChange } from '../store/changes.js';
import { postIdOfRoom, roomOf } from './rooms.js';
import { SOCKET_REPLAY_LIMIT, type PostSource, type Replay } from './source.js';
import type { Change } from '../../contract/index.js';
import { slugParam } from '../../contract/index.js';

export { SOCKET_REPLAY_LIMIT };

/** The socket protocol, from the reader's point of view. */
export type Presence = { slug: string; readers: number };
export type ServerToClient = {
  change: (change: Change) => void;
  /** The changes missed before a `subscribe` that asked for `batch: true`, in seq order, in one message. */
  changes: (changes: Change[]) => void;
  presence: (presence: Presence) => void;
};
export type SubscribeAck = { ok: true; lastSeq: number } | { ok: false; error: { code: string; message: string } };
export type ClientToServer = {
  subscribe: (payload: unknown, ack: (result: SubscribeAck) => void) => void;
  unsubscribe: (payload: unknown, ack?: (result: { ok: boolean }) => void) => void;
};

const subscribePayload = z.strictObject({
  slug: slugParam,
  since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Replay the missed changes as one `changes` event instead of one `change` event each. */
  batch: z.boolean().optional(),
});

const MAX_SUBSCRIPTIONS_PER_SOCKET = 10;

/** Socket.IO on the HTTP server: readers subscribe to posts and receive their changes. */
export class Realtime implements Publisher {
  readonly io: Server<ClientToServer, ServerToClient>;
  private readonly direct: DirectBroadcast;

  constructor(
    httpServer: HttpServer,
    /** SQLite on the primary, the primary over HTTP on a fan-out node. */
    readonly source: PostSource,
    private readonly log: FastifyBaseLogger,
    guards?: SocketGuards,
  ) {
    this.io = new Server<ClientToServer, ServerToClient>(httpServer, {
      serveClient: false,
      // Replays are serialized once and shared by every reader who needs them.
      parser: preSerializedParser,
      ...(guards ? { allowRequest: guards.allowRequest } : {}),
      // Readers only send small subscribe messages.
      maxHttpBufferSize: 4 * 1024,
      pingInterval: 20_000,
      pingTimeout: 20_000,
    });
    this.direct = new DirectBroadcast(this.io.of('/'), this.io.encoder);
    guards?.track(this.io);
    this.io.on('connection', (socket) => {
      guards?.limitEvents(socket);
      this.onConnection(socket);
    });
  }

  /** To this node's readers of the post, framed once (see DirectBroadcast), from the JSON the change log stored. */
  publish(logged: LoggedChange): void {
    this.direct.emit(roomOf(logged.postId), 'change', new PreSerialized(logged.json));
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
      this.subscribe(socket, payload).then(reply, (error: unknown) => {
        this.log.error({ err: error }, 'subscribe failed');
        reply({ ok: false, error: { code: 'internal', message: 'Subscription failed; retry.' } });
      });
    });
    socket.on('unsubscribe', async (payload, ack) => {
      const parsed = subscribePayload.pick({ slug: true }).safeParse(payload);
      const postId = parsed.success ? await Promise.resolve(this.source.find(parsed.data.slug)).catch(() => undefined) : undefined;
      if (postId !== undefined) void socket.leave(roomOf(postId));
      if (typeof ack === 'function') ack({ ok: postId !== undefined });
    });
  }

  /**
   * Joins the post's room and replays what the reader missed, in the same synchronous step
   * (see PostSource.attach): nothing is missed and nothing is sent twice.
   */
  private async subscribe(socket: Socket<ClientToServer, ServerToClient>, payload: unknown): Promise<SubscribeAck> {
    const parsed = subscribePayload.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'payload';
      return { ok: false, error: { code: 'invalid-payload', message: `${where}: ${issue?.message ?? 'is invalid'}` } };
    }
    const { slug, since, batch } = parsed.data;
    const postId = await this.source.find(slug);
    if (postId === undefined) return { ok: false, error: { code: 'not-found', message: `The post "${slug}" does not exist.` } };
    const room = roomOf(postId);
    const followed = [...socket.rooms].filter((name) => postIdOfRoom(name) !== undefined).length;
    if (!socket.rooms.has(room) && followed >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
      return { ok: false, error: { code: 'too-many-subscriptions', message: `A connection may follow at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} posts.` } };
    }
    const lastSeq = await this.source.attach(
      slug,
      postId,
      since,
      (replay) => this.replay(socket, replay, batch === true),
      // The socket may have gone while a fan-out node asked the primary; a gone socket must not hold a room.
      () => void (socket.connected && socket.join(room)),
    );
    return { ok: true, lastSeq };
  }

  /**
   * One frame for a batch, one per change otherwise. The arguments are PreSerialized JSON, which
   * the parser splices into the packet as it is: the cast only satisfies the event's typing.
   */
  private replay(socket: Socket<ClientToServer, ServerToClient>, replay: Replay, batch: boolean): void {
    if (replay.changes.length === 0) return;
    if (batch) socket.emit('changes', replay.batch() as unknown as Change[]);
    else for (const change of replay.each()) socket.emit('change', change as unknown as Change);
  }
}
