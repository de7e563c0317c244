import type { Server, Socket } from 'socket.io';
import type { Wire } from './wire/internals.js';

/**
 * What each connected reader holds once it is connected, kept small (issue 20: memory per reader).
 *
 * A reader's first HTTP request (the WebSocket upgrade, or the first long-polling GET) used to stay
 * in memory for the whole connection: engine.io keeps it as `conn.request` for middlewares such as
 * express-session, and Socket.IO copies a reference to its headers into `socket.handshake`. Liveline
 * reads it only while the connection is being made: the Origin check and the per-address count
 * (guards.ts: `allowRequest` and its own engine `connection` listener, which runs before this one)
 * and the newsroom's session cookie (its own server, untouched here). So, as Socket.IO's memory
 * guide advises (https://socket.io/docs/v4/memory-usage/), the reference is dropped when the
 * engine connection opens; Socket.IO's Socket, built when the reader's CONNECT packet arrives
 * after that, gets an empty `handshake.headers` and still has `handshake.address` (engine.io keeps
 * the peer's address). And since engine.io also leaves the request reachable from the upgraded
 * TCP socket, Wire.releaseUpgrade removes those leftovers (on WebSocket readers at once; on
 * long-polling readers when they upgrade), else dropping the reference would free nothing (as
 * measured before, bench/README.md).
 *
 * Must be installed after every other engine `connection` listener that reads the request.
 *
 * Then, per Socket.IO socket (trimReader, from the node's `connection` handler):
 * - It leaves the room named after its own id, which Socket.IO joins every socket to: nothing in
 *   Liveline sends to one reader through a room (replays and acks go to the socket itself; the
 *   node room of scale-out.ts is a room of its own), and that room is a Set and a map entry per
 *   reader, which presence's count also walked.
 * - Its handshake keeps no per-reader copies of what is empty or unused: no headers and no query
 *   (the request is gone: both would be fresh empty objects), the CONNECT payload when empty, and
 *   no `time` string (`issued` still says when, as a number).
 */

type Connection = {
  request: unknown;
  readonly transport: { readonly name: string; readonly socket?: unknown };
  on(event: 'upgrade', listener: (this: Connection, transport: { readonly socket?: unknown }) => void): void;
};

export function keepReadersLean(io: Server, wire: Wire): void {
  // One listener for every long-polling reader that upgrades, rather than a closure each.
  const upgraded = function (this: Connection, transport: { readonly socket?: unknown }): void {
    wire.releaseUpgrade(transport.socket);
  };
  io.engine.on('connection', (conn: Connection) => {
    conn.request = null;
    if (conn.transport.name === 'websocket') wire.releaseUpgrade(conn.transport.socket);
    else conn.on('upgrade', upgraded);
  });
}

/** One empty object for every reader's empty handshake fields. */
const NOTHING: Record<string, never> = Object.freeze({});

export function trimReader(socket: Socket): void {
  void socket.leave(socket.id);
  const handshake = socket.handshake;
  handshake.headers = NOTHING;
  handshake.query = NOTHING;
  if (Object.keys(handshake.auth).length === 0) handshake.auth = NOTHING;
  handshake.time = '';
}
