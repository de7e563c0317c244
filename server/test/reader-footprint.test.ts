/**
 * What one connected reader holds (issue 20, memory per reader): its upgrade request is let go
 * once it is connected, its handshake keeps no headers, it is in no room of its own, and Liveline adds no listener closure of
 * its own to any of its objects (compared, emitter by emitter, with a bare Socket.IO server).
 * Readers on every transport still get their changes. If any of this grows back, a reader costs
 * about 1-3 KB more again (bench/README.md, "Memory per reader").
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, SubscribeAck } from '../../contract/index.js';
import { roomOf } from '../realtime/rooms.js';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let t: TestApp;
let url: string;
const clients: Socket[] = [];
/** Every engine connection's first request, weakly: it must be collectable once connected. */
let requests: WeakRef<IncomingMessage>[];
/** Every WebSocket upgrade request (a long-polling reader's upgrade is a request of its own). */
let upgrades: WeakRef<IncomingMessage>[];

beforeEach(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  requests = [];
  upgrades = [];
  t.app.server.prependListener('upgrade', (request: IncomingMessage) => void upgrades.push(new WeakRef(request)));
  // Before every listener of Liveline's (prepended), so it sees the request as engine.io made it.
  t.app.realtime.io.engine.prependListener('connection', (raw: { request: IncomingMessage }) => void requests.push(new WeakRef(raw.request)));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await t.close();
});

function reader(target: string, transports: string[], extraHeaders: Record<string, string> = {}): { client: Socket; changes: Change[] } {
  const client = connect(target, { transports, reconnection: false, forceNew: true, extraHeaders });
  clients.push(client);
  const changes: Change[] = [];
  client.on('change', (change: Change) => changes.push(change));
  return { client, changes };
}

const subscribe = (client: Socket, slug: string): Promise<SubscribeAck> => client.timeout(5000).emitWithAck('subscribe', { slug });

/** The server side of a client: its Socket.IO socket on this node. */
function serverSocket(io: Server, client: Socket): ServerSocket {
  const socket = io.of('/').sockets.get(client.id!);
  if (!socket) throw new Error('no server socket for the client');
  return socket;
}

async function collected(refs: WeakRef<object>[]): Promise<boolean> {
  for (let round = 0; round < 5; round++) {
    gc();
    // A WeakRef's target is kept until the current job ends.
    await new Promise((done) => setImmediate(done));
    if (refs.every((ref) => ref.deref() === undefined)) return true;
  }
  return false;
}

type Emitter = { eventNames(): (string | symbol)[]; listeners(event: string | symbol): unknown[] };

/**
 * The objects of one WebSocket reader that carry listeners: engine.io's connection and transport,
 * the ws WebSocket and the TCP socket under it (private fields, read here only to count), and
 * Socket.IO's socket.
 */
function emittersOf(socket: ServerSocket): Record<string, Emitter> {
  const conn = socket.conn as unknown as Emitter & { transport: Emitter & { socket: Emitter & { _socket: Emitter } } };
  return { conn, transport: conn.transport, ws: conn.transport.socket, tcp: conn.transport.socket._socket, socket: socket as unknown as Emitter };
}

/** Per emitter and event, how many listeners of `a` are its own (not the very function `b` has). */
function ownListeners(a: Record<string, Emitter>, b: Record<string, Emitter>): Map<string, number> {
  const own = new Map<string, number>();
  for (const [name, emitter] of Object.entries(a)) {
    for (const event of emitter.eventNames()) {
      const shared = new Set(b[name]!.listeners(event));
      const count = emitter.listeners(event).filter((listener) => !shared.has(listener)).length;
      if (count > 0) own.set(`${name} ${String(event)}`, count);
    }
  }
  return own;
}

describe('what a connected reader holds', () => {
  it('lets its upgrade request go, keeps no headers nor a room of its own, and gets every change', async () => {
    const { slug, id } = await createPost(t);
    const { client, changes } = reader(url, ['websocket'], { 'x-reader-note': 'a header nobody needs later' });
    expect(await subscribe(client, slug)).toMatchObject({ ok: true });

    const socket = serverSocket(t.app.realtime.io, client);
    expect((socket.conn as unknown as { request: unknown }).request).toBeNull();
    expect(socket.handshake.headers).toEqual({});
    // No room of its own: only the post's.
    expect([...socket.rooms]).toEqual([roomOf(id)]);
    expect(t.app.realtime.io.of('/').adapter.rooms.has(socket.id)).toBe(false);
    // What the guards log is still there.
    expect(socket.handshake.address).toMatch(/127\.0\.0\.1/);
    expect(requests).toHaveLength(1);
    expect(await collected(requests)).toBe(true);

    await postEntry(t, slug, 'Still live');
    await until(() => changes.length === 1, 'the change');
    expect(changes[0]).toMatchObject({ type: 'entry.created', entry: { body: 'Still live' } });
  });

  it('adds no listener of its own per reader: each is shared, and fewer are left than on a bare Socket.IO server', async () => {
    const { slug } = await createPost(t);
    const a = reader(url, ['websocket']).client;
    const b = reader(url, ['websocket']).client;
    await subscribe(a, slug);
    await subscribe(b, slug);

    const bare = new Server(createServer(), { serveClient: false, perMessageDeflate: false });
    const httpServer = bare.httpServer as ReturnType<typeof createServer>;
    await new Promise<void>((done) => httpServer.listen(0, '127.0.0.1', done));
    try {
      const bareUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
      const bareA = reader(bareUrl, ['websocket']).client;
      const bareB = reader(bareUrl, ['websocket']).client;
      await until(() => bareA.connected && bareB.connected, 'two bare readers');

      const ours = ownListeners(emittersOf(serverSocket(t.app.realtime.io, a)), emittersOf(serverSocket(t.app.realtime.io, b)));
      const theirs = ownListeners(emittersOf(serverSocket(bare, bareA)), emittersOf(serverSocket(bare, bareB)));
      // Every per-reader listener is one the libraries add themselves, minus the upgrade's leftovers.
      for (const [where, count] of ours) expect({ where, count }).toEqual({ where, count: Math.min(count, theirs.get(where) ?? 0) });
      expect(ours.get('tcp close') ?? 0).toBe((theirs.get('tcp close') ?? 0) - 1);
      expect(ours.get('ws error') ?? 0).toBe((theirs.get('ws error') ?? 0) - 1);
      // The event budget is the one per-socket piece: one middleware (a bound function).
      expect((serverSocket(t.app.realtime.io, a) as unknown as { fns: unknown[] }).fns).toHaveLength(1);
    } finally {
      bare.close();
    }
  });

  it('readers on long-polling, and those that upgrade, keep working and let their requests go too', async () => {
    const { slug } = await createPost(t);
    const polling = reader(url, ['polling']);
    const upgrading = reader(url, ['polling', 'websocket']);
    expect(await subscribe(polling.client, slug)).toMatchObject({ ok: true });
    expect(await subscribe(upgrading.client, slug)).toMatchObject({ ok: true });
    await until(() => upgrading.client.io.engine.transport.name === 'websocket', 'the upgrade');

    await postEntry(t, slug, 'To every transport');
    await until(() => polling.changes.length === 1 && upgrading.changes.length === 1, 'both readers to get the change');
    for (const client of [polling.client, upgrading.client]) {
      expect((serverSocket(t.app.realtime.io, client).conn as unknown as { request: unknown }).request).toBeNull();
    }
    expect(requests).toHaveLength(2);
    expect(upgrades).toHaveLength(1);
    expect(await collected([...requests, ...upgrades])).toBe(true);
  });
});
