import { createAdapter } from '@socket.io/redis-streams-adapter';
import { MessageType, type ClusterMessage } from 'socket.io-adapter';
import type { Server } from 'socket.io';
import type { RedisClient } from './redis.js';
import { postIdOfRoom } from './rooms.js';
import type { Wire } from './wire/internals.js';
import type { Change } from '../../contract/index.js';

/** Says whether a change arriving from the stream is new to this node (false: already delivered, drop it). */
export type ChangeObserver = (postId: number, change: Change) => boolean;

/**
 * Switches Socket.IO to the official Redis streams adapter: `io.to(room).emit()` on the primary
 * appends the change to a Redis stream once, and every node delivers it to the readers it holds.
 * Streams (unlike pub/sub) let a node that lost Redis for a moment resume where it stopped.
 *
 * `observe` sees each change broadcast before the node delivers it. A fan-out node uses it to
 * keep the recent changes it will replay to joining readers, and to drop a change it already
 * delivered after catching up over HTTP while the stream was stalled. Watching needs the adapter's
 * `onMessage` (see wire/internals.ts); returns false when it could not be installed.
 */
export function useRedisStreamsAdapter(io: Server, client: RedisClient, wire: Wire, observe?: ChangeObserver): boolean {
  const factory = createAdapter(client, { streamName: 'liveline:socket.io', maxLen: 10_000 });
  let watched = observe === undefined;
  // Socket.IO calls this with `new`, so it must be a function, not an arrow; it returns the adapter.
  io.adapter(function observedAdapter(nsp: Parameters<typeof factory>[0]) {
    const adapter = factory(nsp);
    if (observe && wire.interceptClusterMessages(adapter, (message) => accept(message, observe))) watched = true;
    return adapter;
  } as unknown as Parameters<Server['adapter']>[0]);
  // Socket.IO builds the main namespace's adapter inside io.adapter(), so this is known now.
  return watched;
}

/**
 * Drops a change this node already delivered. Only fan-out nodes observe, and they never broadcast
 * a change through the adapter themselves (they deliver locally), so every change seen here comes
 * from the primary.
 */
function accept(message: ClusterMessage, observe: ChangeObserver): boolean {
  const change = changeIn(message);
  return change === undefined || observe(change.postId, change.change);
}

function changeIn(message: ClusterMessage): { postId: number; change: Change } | undefined {
  if (message.type !== MessageType.BROADCAST) return undefined;
  const { packet, opts } = message.data as { packet: { data?: unknown[] }; opts: { rooms?: string[] } };
  const [event, change] = packet.data ?? [];
  const postId = opts.rooms?.length === 1 ? postIdOfRoom(opts.rooms[0]!) : undefined;
  if (event !== 'change' || postId === undefined || typeof change !== 'object' || change === null) return undefined;
  return { postId, change: change as Change };
}
