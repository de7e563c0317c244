import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DirectBroadcast } from '../realtime/wire/direct-broadcast.js';
import { createPost, createTestApp, postEntry, type TestApp, until } from './helpers.js';
import type { Change, ChangesPage } from '../../contract/index.js';

/**
 * A change is published only after it is durable, and a failure to publish never turns the saved
 * entry into an error response: the author gets 201, the entry is in the change log for readers
 * to catch up from, and the failure is logged and counted (liveline_publish_failures_total).
 */

let t: TestApp | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const socket of sockets.splice(0)) socket.close();
  await t?.close();
  t = undefined;
});

/** A primary that logs errors into `lines`, listening on a free port. */
async function start(lines: string[]): Promise<{ t: TestApp; url: string }> {
  t = await createTestApp({ LOG_LEVEL: 'error' }, { logger: true, logStream: { write: (line: string) => void lines.push(line) } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, url: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}

async function reader(url: string, slug: string): Promise<{ socket: Socket; changes: Change[] }> {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  const changes: Change[] = [];
  socket.on('change', (change: Change) => changes.push(change));
  expect(await socket.timeout(5000).emitWithAck('subscribe', { slug })).toMatchObject({ ok: true });
  return { socket, changes };
}

async function failures(app: TestApp['app']): Promise<number> {
  const body = (await app.inject('/metrics')).body;
  return Number(/^liveline_publish_failures_total (\d+)$/m.exec(body)?.[1]);
}

async function logOf(app: TestApp['app'], slug: string): Promise<ChangesPage> {
  return (await app.inject(`/api/posts/${slug}/changes?since=0`)).json<ChangesPage>();
}

describe('publishing after COMMIT never fails the request', () => {
  it('a reader whose socket write throws: 201, the entry is in the log, the other readers get it, the broken reader is dropped, one failure counted', async () => {
    const lines: string[] = [];
    const { t, url } = await start(lines);
    const { slug } = await createPost(t);
    const healthy = await reader(url, slug);
    const broken = await reader(url, slug);
    let brokenReason = '';
    broken.socket.on('disconnect', (reason) => (brokenReason = reason));
    expect(await failures(t.app)).toBe(0);

    // The server side of the second reader: its ws sender throws on the next frame it is given.
    const server = [...t.app.realtime.io.of('/').sockets.values()].find((socket) => socket.id === broken.socket.id)!;
    const sender = (server.conn.transport as unknown as { socket: { _sender: { sendFrame: (...args: unknown[]) => void } } }).socket._sender;
    const sendFrame = sender.sendFrame.bind(sender);
    sender.sendFrame = () => {
      sender.sendFrame = sendFrame;
      throw new Error('write EPIPE (simulated)');
    };

    const response = await postEntry(t, slug, 'Saved whatever the sockets do');
    expect(response.statusCode).toBe(201);
    const entry = response.json<{ id: number }>();

    await until(() => healthy.changes.length === 1, 'the healthy reader to get the change');
    expect(healthy.changes[0]).toMatchObject({ seq: 1, type: 'entry.created', entry: { id: entry.id } });
    // Dropped, not told to stay away: the client reconnects and catches up with `since`.
    await until(() => brokenReason !== '', 'the broken reader to be dropped');
    expect(brokenReason).toBe('transport close');
    expect(broken.changes).toEqual([]);

    const log = await logOf(t.app, slug);
    expect(log.lastSeq).toBe(1);
    expect(log.changes).toMatchObject([{ seq: 1, type: 'entry.created', entry: { id: entry.id, body: 'Saved whatever the sockets do' } }]);
    expect(await failures(t.app)).toBe(1);
    expect(lines.some((line) => line.includes('publishing a committed change failed'))).toBe(true);
  });

  it('the whole live path throwing: 201, the entry is stored and in /changes, one failure counted and logged', async () => {
    const lines: string[] = [];
    const { t, url } = await start(lines);
    const { slug } = await createPost(t);
    const { changes } = await reader(url, slug);
    vi.spyOn(DirectBroadcast.prototype, 'emit').mockImplementation(() => {
      throw new Error('live path down (simulated)');
    });

    const response = await postEntry(t, slug, 'Durable first');
    expect(response.statusCode).toBe(201);
    const entry = response.json<{ id: number }>();
    expect((await t.app.inject(`/api/entries/${entry.id}`)).statusCode).toBe(200);
    expect((await logOf(t.app, slug)).changes).toMatchObject([{ seq: 1, entry: { id: entry.id } }]);
    expect(await failures(t.app)).toBe(1);
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; seq?: number; err?: { message: string } }).find((line) => line.msg.includes('publishing a committed change failed'));
    expect(logged).toMatchObject({ seq: 1, err: { message: 'live path down (simulated)' } });

    // Live delivery comes back with the next change; the reader sees the gap and catches up over HTTP.
    vi.restoreAllMocks();
    expect((await postEntry(t, slug, 'Live again')).statusCode).toBe(201);
    await until(() => changes.length === 1, 'the next change');
    expect(changes[0]!.seq).toBe(2);
    expect(await failures(t.app)).toBe(1);
  });
});
