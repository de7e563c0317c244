import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { ClusterAdapter, MessageType, type ClusterMessage } from 'socket.io-adapter';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Change, Presence } from '../../../contract/index.js';
import { Metrics } from '../../metrics/metrics.js';
import type { LoggedChange } from '../../store/changes.js';
import { testConfig, until } from '../../test/helpers.js';
import { buildRealtimeNode, type RealtimeNode } from '../node.js';
import { roomOf } from '../rooms.js';
import { Replay, type PostSource } from '../source.js';
import { DirectBroadcast } from './direct-broadcast.js';
import { installedLibraries, probeConnection, probeLibraries, probeSendBuffer, Wire, type Libraries } from './internals.js';

/**
 * The framed-once path against the real stack: a real engine.io server (built by the realtime
 * node builder, as in production) and real socket.io-client readers on WebSocket, on long-polling,
 * and upgrading from one to the other while changes flow; with and without permessage-deflate;
 * and with the start-up probe finding the internals changed. Every reader must get every change
 * exactly once, in the order the server sent it, interleaved with events that go through
 * engine.io's own queue.
 */

const POST_ID = 1;
const SLUG = 'keynote';

/** The post source of a node with one post and nothing to replay. */
const onePost: PostSource = {
  find: (slug) => (slug === SLUG ? POST_ID : undefined),
  attach: (_slug, _postId, _since, send, join) => {
    send(Replay.empty);
    join();
    return 0;
  },
  slugOf: () => SLUG,
};

type Warning = { details: object; message: string };

/** A logger that keeps warnings and errors (the node's only way to tell about a fallback). */
function recordingLogger(warnings: Warning[], errors: Warning[]): FastifyBaseLogger {
  const ignore = () => {};
  const logger = {
    level: 'info',
    fatal: ignore,
    error: (details: object, message: string) => errors.push({ details, message }),
    warn: (details: object, message: string) => warnings.push({ details, message }),
    info: ignore,
    debug: ignore,
    trace: ignore,
    silent: ignore,
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger;
}

type Started = { node: RealtimeNode; url: string; warnings: Warning[]; errors: Warning[]; metrics: Metrics };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.restoreAllMocks();
});

async function startNode(options: { perMessageDeflate?: boolean; libraries?: Libraries } = {}): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-wire-'));
  const httpServer = createServer();
  const warnings: Warning[] = [];
  const errors: Warning[] = [];
  const metrics = new Metrics();
  const node = buildRealtimeNode({ httpServer, config: testConfig(dir), role: 'primary', source: onePost, log: recordingLogger(warnings, errors), metrics, ...options });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    await node.close();
    await new Promise((resolve) => httpServer.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });
  return { node, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, warnings, errors, metrics };
}

type Reader = { name: string; socket: ClientSocket; events: string[] };

async function reader(url: string, name: string, transports: string[]): Promise<Reader> {
  const socket = connect(url, { transports, reconnection: false, forceNew: true });
  cleanups.push(() => void socket.close());
  const events: string[] = [];
  socket.on('change', (change: Change) => events.push(`change ${change.seq}`));
  socket.on('presence', (presence: Presence) => events.push(`presence ${presence.readers}`));
  expect(await socket.timeout(10_000).emitWithAck('subscribe', { slug: SLUG })).toEqual({ ok: true, lastSeq: 0 });
  return { name, socket, events };
}

/** Readers on each transport, and one that starts on polling and upgrades while changes flow. */
async function readers(url: string): Promise<Reader[]> {
  return Promise.all([
    reader(url, 'websocket 1', ['websocket']),
    reader(url, 'websocket 2', ['websocket']),
    reader(url, 'polling', ['polling']),
    reader(url, 'upgrading', ['polling', 'websocket']),
  ]);
}

function logged(seq: number, body: string): LoggedChange {
  const now = new Date().toISOString();
  const change: Change = {
    seq,
    type: 'entry.created',
    entry: { id: seq, postId: POST_ID, body, html: `<p>${body}</p>`, author: null, createdAt: now, updatedAt: now, version: 1, keyEvent: false, pinned: false, edited: false },
  };
  return { postId: POST_ID, seq, change, json: JSON.stringify(change) };
}

/**
 * Publishes `count` changes in bursts, with an ordinary Socket.IO broadcast (which queues in
 * engine.io) every few changes, and returns the order the server sent them in.
 */
async function publishInterleaved(node: RealtimeNode, count: number, body: (seq: number) => string): Promise<string[]> {
  const sent: string[] = [];
  for (let seq = 1; seq <= count; seq++) {
    node.publisher.publish(logged(seq, body(seq)));
    sent.push(`change ${seq}`);
    if (seq % 7 === 0) {
      node.io.to(roomOf(POST_ID)).emit('presence', { slug: SLUG, readers: seq });
      sent.push(`presence ${seq}`);
    }
    // Bursts: most changes go out back to back, some after the event loop turned (upgrades happen).
    if (seq % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return sent;
}

async function expectEveryReaderGot(all: Reader[], sent: string[]): Promise<void> {
  await until(() => all.every((r) => r.events.length >= sent.length), 'every reader to get every event', 20_000);
  // Let anything duplicated arrive before comparing.
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const r of all) expect({ reader: r.name, events: r.events }).toEqual({ reader: r.name, events: sent });
}

/** How many sockets each publish wrote directly (DirectBroadcast.emit's result). */
function directWrites(spy: { mock: { results: { type: string; value: unknown }[] } }): number[] {
  return spy.mock.results.filter((result) => result.type === 'return').map((result) => result.value as number);
}

function serverConnections(node: RealtimeNode) {
  return [...node.io.of('/').sockets.values()].map((socket) => socket.conn);
}

describe('the start-up probe', () => {
  it('finds every internal it relies on in the installed engine.io, ws and socket.io-adapter, and on a live connection', async () => {
    expect(probeLibraries()).toEqual({ direct: [], adapter: [], sendBuffer: [] });
    const { node, url, warnings } = await startNode();
    await reader(url, 'websocket', ['websocket']);
    await reader(url, 'polling', ['polling']);
    const [websocket, polling] = serverConnections(node);
    expect(probeConnection(websocket)).toEqual([]);
    expect(probeSendBuffer(websocket)).toEqual([]);
    expect(probeSendBuffer(polling)).toEqual([]);
    expect(node.wire.fastPath).toBe(true);
    // Idle readers hold nothing unsent.
    const wire = new Wire(recordingLogger(warnings, []), { watchAdapter: false });
    expect(wire.bufferedBytes(websocket)).toBe(0);
    expect(wire.bufferedBytes(polling)).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("without ws's bufferedAmount: one warning, slow readers left to the ping timeout, delivery unaffected", async () => {
    class WithoutBufferedAmount {
      terminate(): void {}
    }
    const libraries = { ...installedLibraries, WebSocket: WithoutBufferedAmount };
    const { node, url, warnings } = await startNode({ libraries });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('ws WebSocket.bufferedAmount');
    expect(warnings[0]!.message).toContain('ping timeout');
    const all = [await reader(url, 'websocket', ['websocket'])];
    expect(new Wire(recordingLogger([], []), { watchAdapter: false }, libraries).bufferedBytes(serverConnections(node)[0])).toBeUndefined();
    const sent = await publishInterleaved(node, 20, (seq) => `Entry ${seq}`);
    await expectEveryReaderGot(all, sent);
    expect(node.wire.fastPath).toBe(true);
    expect(warnings).toHaveLength(1);
  });
});

describe('the framed-once path on the real stack', () => {
  it('delivers every change exactly once and in order to readers on WebSocket, on polling and upgrading, writing WebSocket readers directly', async () => {
    const { node, url, errors } = await startNode();
    const all = await readers(url);
    const emit = vi.spyOn(DirectBroadcast.prototype, 'emit');

    const sent = await publishInterleaved(node, 200, (seq) => `Entry ${seq}`);
    await expectEveryReaderGot(all, sent);

    const direct = directWrites(emit);
    expect(direct).toHaveLength(200);
    // The two WebSocket readers (three once the upgrading one has upgraded) are written directly,
    // except when an ordinary broadcast still waits in their engine.io queue.
    expect(Math.max(...direct)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...direct)).toBeLessThanOrEqual(3);
    expect(errors).toEqual([]);
  });

  it('with permessage-deflate on, compressed WebSocket readers take the ordinary path and still get every change once, in order', async () => {
    const { node, url, errors } = await startNode({ perMessageDeflate: true });
    const all = await readers(url);
    const emit = vi.spyOn(DirectBroadcast.prototype, 'emit');
    // The WebSocket readers really negotiated compression.
    const compressed = serverConnections(node).filter((conn) => conn.transport.name === 'websocket');
    expect(compressed.length).toBeGreaterThanOrEqual(2);
    for (const conn of compressed) expect((conn.transport as unknown as { socket: { extensions: string } }).socket.extensions).toContain('permessage-deflate');

    // Every third change is over the 1 KiB threshold, so ws really compresses it (asynchronously).
    const sent = await publishInterleaved(node, 150, (seq) => (seq % 3 === 0 ? `Long entry ${seq} `.repeat(200) : `Entry ${seq}`));
    await expectEveryReaderGot(all, sent);

    expect(directWrites(emit)).toEqual(Array.from({ length: 150 }, () => 0));
    expect(errors).toEqual([]);
  });
});

describe('replays framed once', () => {
  it('readers rejoining at the same seq share one framed replay, written directly before their ack; a polling reader gets the same changes through Socket.IO', async () => {
    // The primary's cache gives every reader asking `since` 0 at lastSeq 3 the same Replay.
    const missed = [1, 2, 3].map((seq) => logged(seq, `Missed ${seq}`).change);
    const shared = Replay.of(missed);
    const withHistory: PostSource = { ...onePost, attach: (_slug, _postId, since, send, join) => (send(since === 0 ? shared : Replay.empty), join(), 3) };
    const dir = mkdtempSync(join(tmpdir(), 'liveline-wire-'));
    const httpServer = createServer();
    const node = buildRealtimeNode({ httpServer, config: testConfig(dir), role: 'primary', source: withHistory, log: recordingLogger([], []), metrics: new Metrics() });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      await node.close();
      await new Promise((resolve) => httpServer.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });
    const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    const emitTo = vi.spyOn(DirectBroadcast.prototype, 'emitTo');
    const frame = vi.spyOn(Wire.prototype, 'frame');

    const rejoin = async (transports: string[]) => {
      const socket = connect(url, { transports, reconnection: false, forceNew: true });
      cleanups.push(() => void socket.close());
      const events: string[] = [];
      socket.on('changes', (changes: Change[]) => events.push(`changes ${changes.map((change) => change.seq).join(',')}`));
      socket.on('change', (change: Change) => events.push(`change ${change.seq}`));
      const ack = await socket.timeout(10_000).emitWithAck('subscribe', { slug: SLUG, since: 0, batch: true });
      events.push(`ack ${JSON.stringify(ack)}`);
      return events;
    };
    const got = await Promise.all([rejoin(['websocket']), rejoin(['websocket']), rejoin(['websocket']), rejoin(['polling'])]);
    for (const events of got) expect(events).toEqual(['changes 1,2,3', 'ack {"ok":true,"lastSeq":3}']);
    // The three WebSocket readers were written directly, from one frame built once.
    expect(emitTo.mock.results.filter((result) => result.value === true)).toHaveLength(3);
    expect(frame).toHaveBeenCalledTimes(1);

    // A live change afterwards reaches each of them once, after the replay.
    node.publisher.publish(logged(4, 'Live 4'));
    await until(() => got.every((events) => events.length === 3), 'the live change');
    for (const events of got) expect(events[2]).toBe('change 4');
  });
});

describe('the fallback when the internals differ', () => {
  type SenderClass = (new (...args: never[]) => object) & { frame: unknown };
  const RealSender = installedLibraries.Sender as SenderClass;

  it('a field missing at start-up: one warning naming it, and every change through the ordinary path', async () => {
    // A ws whose Sender can still frame but no longer has sendFrame.
    const WithoutSendFrame = { frame: RealSender.frame, prototype: {} };
    const { node, url, warnings, metrics } = await startNode({ libraries: { ...installedLibraries, Sender: WithoutSendFrame } });
    expect(node.wire.fastPath).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('ws Sender.prototype.sendFrame');
    expect(warnings[0]!.message).toContain('ordinary path');

    const all = await readers(url);
    const emit = vi.spyOn(DirectBroadcast.prototype, 'emit');
    const sent = await publishInterleaved(node, 60, (seq) => `Entry ${seq}`);
    await expectEveryReaderGot(all, sent);
    expect(directWrites(emit).every((count) => count === 0)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(await metrics.registry.getSingleMetricAsString('liveline_wire_fast_path')).toMatch(/liveline_wire_fast_path 0/);
  });

  it('a field that only a live connection shows: checked on the first WebSocket reader, one warning, the ordinary path from then on', async () => {
    // Passes every check on the classes, but is not the class live sockets are made of.
    class OtherSender extends RealSender {}
    Object.assign(OtherSender, { frame: RealSender.frame });
    const { node, url, warnings } = await startNode({ libraries: { ...installedLibraries, Sender: OtherSender } });
    expect(node.wire.fastPath).toBe(true);
    expect(warnings).toEqual([]);

    const all = await readers(url);
    const sent = await publishInterleaved(node, 60, (seq) => `Entry ${seq}`);
    await expectEveryReaderGot(all, sent);
    expect(node.wire.fastPath).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('ws WebSocket._sender');
  });
});

describe('the Redis adapter hook', () => {
  /** The smallest real ClusterAdapter: what the Redis streams adapter extends. */
  class LoopbackAdapter extends ClusterAdapter {
    constructor() {
      // What an adapter reads of its namespace when it is built.
      super({ name: '/', server: { encoder: {} } });
    }
    protected override doPublish(): Promise<string> {
      return Promise.resolve('');
    }
    protected override doPublishResponse(): Promise<void> {
      return Promise.resolve();
    }
  }
  const adapter = () => new LoopbackAdapter();
  const message: ClusterMessage = { uid: 'primary', nsp: '/', type: MessageType.BROADCAST, data: { opts: { rooms: [roomOf(POST_ID)], except: [], flags: {} }, packet: { data: ['change', { seq: 1 }] } } };

  it("sees each message before the adapter delivers it, and drops the ones it refuses", () => {
    const warnings: Warning[] = [];
    const wire = new Wire(recordingLogger(warnings, []), { watchAdapter: true });
    // The adapter's own delivery, recorded instead of run (it would need a whole namespace).
    const deliver = vi.spyOn(ClusterAdapter.prototype as unknown as { onMessage: (message: ClusterMessage) => void }, 'onMessage').mockImplementation(() => {});
    const target = adapter();
    let accept = true;
    const seen: ClusterMessage[] = [];
    expect(wire.interceptClusterMessages(target, (received) => (seen.push(received), accept))).toBe(true);
    const onMessage = (target as unknown as { onMessage: (message: ClusterMessage) => void }).onMessage;
    onMessage(message);
    accept = false;
    onMessage(message);
    expect(seen).toEqual([message, message]);
    expect(deliver).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual([]);
  });

  it('without onMessage: one warning on a fan-out node, nothing installed, the fast path unaffected', () => {
    const warnings: Warning[] = [];
    const wire = new Wire(recordingLogger(warnings, []), { watchAdapter: true }, { ...installedLibraries, ClusterAdapter: class Renamed {} });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toContain('socket.io-adapter ClusterAdapter.prototype.onMessage');
    expect(warnings[0]!.message).toContain('replayed from the primary');
    expect(wire.interceptClusterMessages(adapter(), () => true)).toBe(false);
    expect(wire.fastPath).toBe(true);
    // The primary never watches the adapter: nothing to warn about there.
    const primaryWarnings: Warning[] = [];
    new Wire(recordingLogger(primaryWarnings, []), { watchAdapter: false }, { ...installedLibraries, ClusterAdapter: class Renamed {} });
    expect(primaryWarnings).toEqual([]);
  });
});
