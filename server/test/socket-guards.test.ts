import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createPost, createTestApp, expectOversizedMessageCloses, floodUntilCutOff, postEntry, type TestApp, until } from './helpers.js';
import type { Change } from '../../contract/index.js';

let t: TestApp | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  await t?.close();
  t = undefined;
});

async function start(env: Record<string, string> = {}): Promise<string> {
  t = await createTestApp(env);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

function open(url: string, extraHeaders: Record<string, string> = {}, transports: string[] = ['websocket']): Socket {
  const socket = connect(url, { transports, reconnection: false, forceNew: true, extraHeaders });
  sockets.push(socket);
  return socket;
}

/** Resolves 'connected' or the connect_error message. */
function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(`refused: ${error.message} ${String((error as { context?: { statusCode?: number } }).context?.statusCode ?? '')}`));
  });
}


describe('socket origin check', () => {
  it('admits its own origin, configured origins and non-browser clients; refuses other sites', async () => {
    const url = await start({ ALLOWED_ORIGINS: 'https://partner.example' });
    const host = new URL(url).host;
    expect(await outcome(open(url))).toBe('connected'); // Node client: no Origin header
    expect(await outcome(open(url, { origin: `http://${host}` }))).toBe('connected');
    expect(await outcome(open(url, { origin: 'http://liveline.test' }))).toBe('connected'); // PUBLIC_URL
    expect(await outcome(open(url, { origin: 'https://partner.example' }))).toBe('connected');
    expect(await outcome(open(url, { origin: 'https://evil.example' }, ['polling']))).toMatch(/^refused/);
    expect(await outcome(open(url, { origin: 'null' }, ['polling']))).toMatch(/^refused/);
  });
});

describe('socket connection cap per address', () => {
  it('refuses connections beyond the cap and admits again once one closes', async () => {
    const url = await start({ SOCKET_MAX_CONNECTIONS_PER_IP: '3' });
    const first = [open(url), open(url), open(url)];
    for (const socket of first) expect(await outcome(socket)).toBe('connected');
    expect(await outcome(open(url, {}, ['polling']))).toMatch(/^refused/);

    first[0]!.close();
    // Poll: the server sees the close asynchronously.
    let result = '';
    const deadline = Date.now() + 10_000;
    while (result !== 'connected' && Date.now() < deadline) {
      result = await outcome(open(url, {}, ['polling']));
      if (result !== 'connected') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(result).toBe('connected');
  });
});

describe('socket addresses behind a proxy (M3)', () => {
  it('counts the address the proxy saw, not one the client forged in X-Forwarded-For', async () => {
    const url = await start({ TRUST_PROXY: 'true', SOCKET_MAX_CONNECTIONS_PER_IP: '2' });
    // This test is the proxy (127.0.0.1): it appends the client's real address after the client's own header.
    const behindProxy = (forged: string) => ({ 'x-forwarded-for': `${forged}, 203.0.113.5` });
    expect(await outcome(open(url, behindProxy('6.6.6.1')))).toBe('connected');
    expect(await outcome(open(url, behindProxy('6.6.6.2')))).toBe('connected');
    expect(await outcome(open(url, behindProxy('6.6.6.3')))).toMatch(/^refused/);
    // Another real client behind the same proxy has its own allowance.
    expect(await outcome(open(url, { 'x-forwarded-for': '203.0.113.6' }))).toBe('connected');
  });
});

describe('readers behind an address over the cap', () => {
  it('are refused a socket, yet follow every change over HTTP, with polls cacheable for a second and refusals counted', async () => {
    const url = await start({ SOCKET_MAX_CONNECTIONS_PER_IP: '1' });
    const { slug } = await createPost(t!);
    const first = open(url);
    expect(await outcome(first)).toBe('connected');
    // The next reader on the venue's Wi-Fi: no socket, on either transport.
    expect(await outcome(open(url))).toMatch(/^refused/);
    expect(await outcome(open(url, {}, ['polling']))).toMatch(/^refused/);

    // What its page polls instead (client/live-sync.ts): every change, from its lastSeq on.
    expect((await postEntry(t!, slug, 'After the doors closed')).statusCode).toBe(201);
    const poll = await fetch(`${url}/api/posts/${slug}/changes?since=0&poll=1`);
    expect(poll.status).toBe(200);
    expect(poll.headers.get('cache-control')).toBe('public, max-age=1');
    const polled = (await poll.json()) as { changes: Change[]; lastSeq: number };
    expect(polled.lastSeq).toBe(1);
    expect(polled.changes.map((change) => change.type === 'entry.created' && change.entry.body)).toEqual(['After the doors closed']);
    // Catch-up after a gap stays uncached: that reader knows a newer change exists.
    expect((await fetch(`${url}/api/posts/${slug}/changes?since=0`)).headers.get('cache-control')).toBe('no-cache');
    expect((await fetch(`${url}/api/posts/${slug}/changes?since=0&poll=yes`)).status).toBe(400);

    const metrics = await t!.app.metrics.registry.getSingleMetricAsString('liveline_socket_handshakes_refused_total');
    expect(metrics).toMatch(/^liveline_socket_handshakes_refused_total\{reason="address-cap"\} 2$/m);
  });
});

describe('socket event rate', () => {
  it('refuses a flooding socket beyond its budget, then drops it, while other readers keep receiving', async () => {
    const url = await start({ SOCKET_MAX_EVENTS_PER_10S: '10' });
    const { slug } = await createPost(t!);
    const calm = open(url);
    const calmChanges: Change[] = [];
    calm.on('change', (change: Change) => calmChanges.push(change));
    expect(await calm.timeout(5000).emitWithAck('subscribe', { slug })).toEqual({ ok: true, lastSeq: 0 });

    const flooder = open(url);
    await outcome(flooder);
    await floodUntilCutOff(flooder, slug);

    await postEntry(t!, slug, 'still flowing');
    await until(() => calmChanges.length === 1, 'the calm reader to get the change');
    expect(calm.connected).toBe(true);
  });

  it('rejects oversized payloads by closing the connection (maxHttpBufferSize)', async () => {
    const url = await start();
    const socket = open(url);
    await outcome(socket);
    await expectOversizedMessageCloses(socket);
  });
});
