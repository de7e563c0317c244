import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';
import { stalledPollingReader, stalledWebSocketReader, unsentBytes, type StalledWebSocketReader } from './stalled-readers.js';
import type { Change } from '../../contract/index.js';

/**
 * The per-reader send-buffer cap (SOCKET_MAX_BUFFERED_KB) on a real server: a reader that stops
 * reading during a burst of large entries must be dropped (its transport closed, so that it
 * reconnects and catches up by seq) before what the server holds for it grows much beyond the
 * cap, on both delivery paths: the framed-once writes straight to a WebSocket, and Socket.IO's
 * own queue (long-polling). A reader that keeps reading gets every change.
 */

const CAP_KB = 256;
/** What one tick may add beyond the cap before the check runs: one change of a ~20,000-character entry. */
const SLACK_BYTES = 64 * 1024;
/** Enough changes (about 40 KB each, Markdown and HTML) to fill the loopback kernel buffers many times over. */
const BURST = 150;
const largeBody = (n: number) => `Entry ${n}: ${'liveblog '.repeat(2_210)}`.slice(0, 19_900);

let t: TestApp | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await t?.close();
  t = undefined;
});

type EngineConnection = { id: string; readyState: string; once(event: 'close', listener: (reason: string) => void): void };

async function start(): Promise<{ url: string; connections: Map<string, EngineConnection> }> {
  t = await createTestApp({ SOCKET_MAX_BUFFERED_KB: String(CAP_KB) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const connections = new Map<string, EngineConnection>();
  t.app.realtime.io.engine.on('connection', (conn: EngineConnection) => connections.set(conn.id, conn));
  return { url: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`, connections };
}

async function readingReader(url: string, slug: string): Promise<Change[]> {
  const socket: Socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  cleanups.push(() => socket.close());
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  expect(await socket.timeout(10_000).emitWithAck('subscribe', { slug })).toEqual({ ok: true, lastSeq: 0 });
  return changes;
}

/** Posts the burst, measuring after each entry what the server holds for `stalled` while it is open. */
async function burst(slug: string, stalled: EngineConnection): Promise<{ maxUnsent: number; closedAfter: number | undefined }> {
  let maxUnsent = 0;
  let closedAfter: number | undefined;
  for (let n = 1; n <= BURST; n++) {
    expect((await postEntry(t!, slug, largeBody(n), 'editor')).statusCode).toBe(201);
    if (stalled.readyState === 'open') maxUnsent = Math.max(maxUnsent, unsentBytes(stalled));
    else closedAfter ??= n;
  }
  return { maxUnsent, closedAfter };
}

async function droppedCount(transport: string): Promise<number> {
  const text = await t!.app.metrics.registry.getSingleMetricAsString('liveline_slow_readers_dropped_total');
  const line = text.split('\n').find((row) => row.startsWith(`liveline_slow_readers_dropped_total{transport="${transport}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('readers that stop reading', () => {
  it('a WebSocket reader (framed-once writes) is dropped near the cap; a reading reader gets every change', async () => {
    const { url, connections } = await start();
    const { slug } = await createPost(t!);
    const reading = await readingReader(url, slug);
    const stalled: StalledWebSocketReader = await stalledWebSocketReader(url, slug);
    cleanups.push(() => stalled.close());
    const conn = connections.get(stalled.sid)!;
    let reason = '';
    conn.once('close', (why) => (reason = why));
    stalled.pause();

    const { maxUnsent, closedAfter } = await burst(slug, conn);

    expect(maxUnsent).toBeLessThanOrEqual(CAP_KB * 1024 + SLACK_BYTES);
    expect(closedAfter, 'the stalled reader was still connected after the whole burst').toBeDefined();
    // The transport was closed, not a Socket.IO disconnect: the reader's client would reconnect.
    expect(reason).not.toBe('');
    expect(reason).not.toBe('server namespace disconnect');
    await stalled.resumeUntilClosed();
    await until(() => reading.length === BURST, 'the reading reader to get every change');
    expect(reading.map((change) => change.seq)).toEqual(Array.from({ length: BURST }, (_, i) => i + 1));
    expect(await droppedCount('websocket')).toBe(1);
  }, 60_000);

  it("a long-polling reader that stops polling (Socket.IO's own queue) is dropped near the cap", async () => {
    const { url, connections } = await start();
    const { slug } = await createPost(t!);
    const reading = await readingReader(url, slug);
    const stalled = await stalledPollingReader(url, slug);
    const conn = connections.get(stalled.sid)!;

    const { maxUnsent, closedAfter } = await burst(slug, conn);

    expect(maxUnsent).toBeLessThanOrEqual(CAP_KB * 1024 + SLACK_BYTES);
    expect(closedAfter, 'the stalled reader was still connected after the whole burst').toBeDefined();
    // The server forgot the session: the next poll is refused, and a real client reconnects.
    expect(await stalled.pollStatus()).toBe(400);
    await until(() => reading.length === BURST, 'the reading reader to get every change');
    expect(await droppedCount('polling')).toBe(1);
  }, 60_000);
});
