import { MessageType, type ClusterMessage } from 'socket.io-adapter';
import type { Server } from 'socket.io';
import type { RedisLibraries } from './redis-libraries.js';
import type { RedisClient } from './redis.js';
import { postIdOfRoom } from './rooms.js';
import type { Wire } from './wire/internals.js';
import type { Change } from '../../contract/index.js';

/** Says whether a change arriving from the stream is new to this node (false: already delivered, drop it). */
export type ChangeObserver = (postId: number, change: Change) => boolean;

/**
 * Delivers a new change from the stream to this node's readers of the post itself (framed once,
 * wire/direct-broadcast.ts) instead of the adapter's per-socket path; false leaves it to the adapter.
 */
export type LocalChangeDelivery = (postId: number, change: Change) => boolean;

/**
 * Switches Socket.IO to the official Redis streams adapter: `io.to(room).emit()` on the primary
 * appends the change to a Redis stream once, and every node delivers it to the readers it holds.
 * Streams (unlike pub/sub) let a node that lost Redis for a moment resume where it stopped.
 *
 * `observe` sees each change broadcast before the node delivers it. A fan-out node uses it to
 * keep the recent changes it will replay to joining readers, and to drop a change it already
 * delivered after catching up over HTTP while the stream was stalled. Watching needs the adapter's
 * `onMessage` (see wire/internals.ts); returns false when it could not be installed.
 *
 * `deliver` (fan-out nodes) takes each new change off the adapter: the adapter's own broadcast
 * encodes once but then queues the packet through engine.io per reader (16–19 µs per delivery at
 * 10,000 readers, against about 9 on the primary's framed-once path). Observing first keeps
 * exactly-once by seq; the adapter still carries everything else (presence, other events).
 */
export function useRedisStreamsAdapter(
  { createAdapter }: RedisLibraries,
  io: Server,
  client: RedisClient,
  wire: Wire,
  observe?: ChangeObserver,
  deliver?: LocalChangeDelivery,
): boolean {
  const factory = createAdapter(client, { streamName: 'liveline:socket.io', maxLen: 10_000 });
  let watched = observe === undefined;
  // Socket.IO calls this with `new`, so it must be a function, not an arrow; it returns the adapter.
  io.adapter(function observedAdapter(nsp: Parameters<typeof factory>[0]) {
    const adapter = factory(nsp);
    // Local delivery is the main namespace's (where readers subscribe); any other keeps the adapter's.
    const local = nsp.name === '/' ? deliver : undefined;
    if (observe && wire.interceptClusterMessages(adapter, (message) => acceptClusterMessage(message, observe, local, (room) => (adapter.rooms.get(room)?.size ?? 0) > 0))) watched = true;
    return adapter;
  } as unknown as Parameters<Server['adapter']>[0]);
  // Socket.IO builds the main namespace's adapter inside io.adapter(), so this is known now.
  return watched;
}

/**
 * Drops a change this node already delivered, and hands a new one to `deliver` (which then keeps
 * it from the adapter). Only fan-out nodes observe, and they never broadcast a change through the
 * adapter themselves (they deliver locally), so every change seen here comes from the primary.
 * True: the adapter delivers the message itself.
 */
export function acceptClusterMessage(message: ClusterMessage, observe: ChangeObserver, deliver: LocalChangeDelivery | undefined, occupied: (room: string) => boolean): boolean {
  const found = changeIn(message);
  if (found === undefined) return true;
  if (!observe(found.postId, found.change)) return false;
  // The primary excludes only its own node room, which holds no socket of this node; a broadcast
  // that excludes sockets of this node, or carries flags, is left to the adapter, which honours them.
  if (!deliver || !found.plain || found.except.some(occupied)) return true;
  return !deliver(found.postId, found.change);
}

function changeIn(message: ClusterMessage): { postId: number; change: Change; plain: boolean; except: string[] } | undefined {
  if (message.type !== MessageType.BROADCAST) return undefined;
  const { packet, opts } = message.data as { packet: { data?: unknown[]; nsp?: string }; opts: { rooms?: string[]; except?: string[]; flags?: Record<string, unknown> } };
  const [event, change] = packet.data ?? [];
  const postId = opts.rooms?.length === 1 ? postIdOfRoom(opts.rooms[0]!) : undefined;
  if (event !== 'change' || postId === undefined || typeof change !== 'object' || change === null) return undefined;
  const plain = (packet.data?.length ?? 0) === 2 && Object.values(opts.flags ?? {}).every((flag) => flag === undefined || flag === false);
  return { postId, change: change as Change, plain, except: opts.except ?? [] };
}
