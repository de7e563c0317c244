import { MessageType, type ClusterMessage } from 'socket.io-adapter';
import { describe, expect, it } from 'vitest';
import { acceptClusterMessage } from './adapter.js';
import { roomOf } from './rooms.js';
import type { Change } from '../../contract/index.js';

/**
 * Which stream messages a fan-out node takes off the Redis adapter to deliver itself (framed
 * once), and which it leaves to the adapter: only a plain change to one post's room whose
 * exclusions hold none of this node's sockets. Anything else keeps the adapter's own semantics.
 */
const change = { seq: 7, type: 'entry.created' } as unknown as Change;
const broadcast = (opts: { except?: string[]; flags?: Record<string, unknown> } = {}, data: unknown[] = ['change', change]): ClusterMessage => ({
  uid: 'primary',
  nsp: '/',
  type: MessageType.BROADCAST,
  data: { opts: { rooms: [roomOf(3)], except: opts.except ?? ['node:primary-1'], flags: opts.flags ?? {} }, packet: { type: 2, nsp: '/', data } },
});

function run(message: ClusterMessage, { fresh = true, occupied = [] as string[] } = {}) {
  const delivered: [number, number][] = [];
  const adapterDelivers = acceptClusterMessage(
    message,
    () => fresh,
    (postId, received) => (delivered.push([postId, received.seq]), true),
    (room) => occupied.includes(room),
  );
  return { adapterDelivers, delivered };
}

describe("a fan-out node's share of the stream", () => {
  it("delivers a new change itself and keeps it from the adapter's per-socket path", () => {
    expect(run(broadcast())).toEqual({ adapterDelivers: false, delivered: [[3, 7]] });
  });

  it('drops a change it already delivered (exactly once by seq), through neither path', () => {
    expect(run(broadcast(), { fresh: false })).toEqual({ adapterDelivers: false, delivered: [] });
  });

  it('leaves to the adapter a broadcast that excludes sockets of this node, carries flags, or is not a plain change', () => {
    expect(run(broadcast({ except: ['desk:3'] }), { occupied: ['desk:3'] })).toEqual({ adapterDelivers: true, delivered: [] });
    expect(run(broadcast({ flags: { volatile: true } }))).toEqual({ adapterDelivers: true, delivered: [] });
    expect(run(broadcast({}, ['change', change, 'extra']))).toEqual({ adapterDelivers: true, delivered: [] });
    expect(run(broadcast({}, ['presence', { slug: 'x', readers: 2 }]))).toEqual({ adapterDelivers: true, delivered: [] });
  });
});
