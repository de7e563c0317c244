import type { FastifyBaseLogger } from 'fastify';
import type { Server, Socket } from 'socket.io';
import { subscribePayload, unsubscribePayload, type Change, type ClientToServer, type ServerToClient, type SubscribeAck } from '../../contract/index.js';
import { deskRoomOf, postIdOfRoom, roomOf } from './rooms.js';
import type { PostSource, Replay } from './source.js';

export type ReaderServer = Server<ClientToServer, ServerToClient>;
export type ReaderSocket = Socket<ClientToServer, ServerToClient>;

const MAX_SUBSCRIPTIONS_PER_SOCKET = 10;

/** A subscribe's hold on its reader's writes (coalesce.ts), released once the ack is written. */
type Held = { release?: (() => void) | undefined };

/**
 * The socket protocol of contract/socket.ts, served on one connection: a reader subscribes to
 * posts (joining their rooms, after a replay of what it missed) and unsubscribes. Readers only
 * receive; the changes themselves reach the rooms from the node's publisher or the Redis adapter.
 * The same code serves readers on the primary and on fan-out nodes: only the PostSource differs.
 */
export class Subscriptions {
  constructor(
    /** SQLite on the primary, the primary over HTTP on a fan-out node. */
    private readonly source: PostSource,
    private readonly log: FastifyBaseLogger,
    /**
     * Sends a batched replay, framed once per Replay for every reader who gets the same one
     * (DirectBroadcast.emitTo); plain socket.emit when absent.
     */
    private readonly sendShared: (socket: ReaderSocket, event: 'changes', payload: unknown, shared: Replay) => void = (socket, event, payload) =>
      void socket.emit(event, payload as Change[]),
    /**
     * Holds the reader's writes from its replay until its ack has been written, so both leave in
     * one write (Wire.hold, see coalesce.ts); returns the release, or undefined when it cannot.
     */
    private readonly hold: (socket: ReaderSocket) => (() => void) | undefined = () => undefined,
  ) {}

  /**
   * Serves one reader connection's events. The two handlers are shared by every socket (Socket.IO
   * calls them with the socket as `this`): a reader holds no closure of its own for them.
   */
  serve(socket: ReaderSocket): void {
    socket.on('subscribe', this.onSubscribe);
    socket.on('unsubscribe', this.onUnsubscribe);
  }

  private readonly onSubscribe = ((subscriptions: Subscriptions) =>
    function (this: ReaderSocket, payload: unknown, ack: unknown): void {
      const reply = typeof ack === 'function' ? (ack as (result: SubscribeAck) => void) : () => {};
      const held: Held = {};
      subscriptions
        .subscribe(this, payload, held)
        .then(reply, (error: unknown) => {
          subscriptions.log.error({ err: error }, 'subscribe failed');
          reply({ ok: false, error: { code: 'internal', message: 'Subscription failed; retry.' } });
        })
        .finally(() => held.release?.());
    })(this);

  private readonly onUnsubscribe = ((subscriptions: Subscriptions) =>
    async function (this: ReaderSocket, payload: unknown, ack: unknown): Promise<void> {
      const parsed = unsubscribePayload.safeParse(payload);
      const postId = parsed.success ? await Promise.resolve(subscriptions.source.find(parsed.data.slug)).catch(() => undefined) : undefined;
      if (postId !== undefined) {
        void this.leave(roomOf(postId));
        void this.leave(deskRoomOf(postId));
      }
      if (typeof ack === 'function') (ack as (result: { ok: boolean }) => void)({ ok: postId !== undefined });
    })(this);

  /**
   * Joins the post's room and replays what the reader missed, in the same synchronous step
   * (see PostSource.attach): nothing is missed and nothing is sent twice.
   */
  private async subscribe(socket: ReaderSocket, payload: unknown, held: Held): Promise<SubscribeAck> {
    const parsed = subscribePayload.safeParse(payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'payload';
      return { ok: false, error: { code: 'invalid-payload', message: `${where}: ${issue?.message ?? 'is invalid'}` } };
    }
    const { slug, since, batch, desk } = parsed.data;
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
      (replay) => this.replay(socket, replay, batch === true, held),
      // The socket may have gone while a fan-out node asked the primary; a gone socket must not hold a room.
      () => void (socket.connected && socket.join(desk ? [room, deskRoomOf(postId)] : room)),
    );
    return { ok: true, lastSeq };
  }

  /**
   * One frame for a batch, one per change otherwise. The arguments are PreSerialized JSON, which
   * the parser splices into the packet as it is: the cast only satisfies the event's typing.
   */
  private replay(socket: ReaderSocket, replay: Replay, batch: boolean, held: Held): void {
    // A reader already up to date gets its ack alone: nothing to hold.
    if (replay.changes.length === 0) return;
    held.release = this.hold(socket);
    if (batch) this.sendShared(socket, 'changes', replay.batch(), replay);
    else for (const change of replay.each()) socket.emit('change', change as unknown as Change);
  }
}
