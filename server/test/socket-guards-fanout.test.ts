import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { hasRedis, useFanoutCluster } from './fanout-cluster.js';
import { createPost, createTestApp, expectOversizedMessageCloses, floodUntilCutOff, postEntry, until } from './helpers.js';
import { stalledWebSocketReader } from './stalled-readers.js';
import type { Change } from '../../contract/index.js';

/**
 * The socket guards on a fan-out node, which holds every reader in production: the same checks as
 * the primary's (socket-guards.test.ts), because both are built by server/realtime/node.ts. One
 * real redis-server, a primary (createTestApp) and a fan-out node in this process; the fan-out
 * node trusts X-Forwarded-For (TRUST_PROXY, as behind nginx), so each test speaks for its own
 * client addresses.
 */
if (!hasRedis && !process.env.CI) console.warn('fan-out guard tests skipped: install redis-server');

const stack = useFanoutCluster('fanout-guards', {
    fanoutEnv: { TRUST_PROXY: 'true', ALLOWED_ORIGINS: 'https://partner.example', SOCKET_MAX_CONNECTIONS_PER_IP: '3', SOCKET_MAX_EVENTS_PER_10S: '10', SOCKET_MAX_BUFFERED_KB: '256' },
    // What Fastify itself takes for the client address (TRUST_PROXY applies to HTTP too).
    beforeListen: (node) => node.get('/test/ip', async (request) => ({ ip: request.ip })),
  });
const sockets: Socket[] = [];

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

let nextAddress = 1;
/** A client address of its own (what nginx would put in X-Forwarded-For). */
function address(): string {
  return `198.51.100.${nextAddress++}`;
}

function open(headers: Record<string, string>, transports: string[] = ['websocket']): Socket {
  const socket = connect(stack.fanoutUrl, { transports, reconnection: false, forceNew: true, extraHeaders: headers });
  sockets.push(socket);
  return socket;
}

/** Resolves 'connected' or the connect_error message. */
function outcome(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(`refused: ${error.message}`));
  });
}

describe.skipIf(!hasRedis && !process.env.CI)('socket guards on a fan-out node', () => {
  it('honours TRUST_PROXY for HTTP as well: the client address is the X-Forwarded-For one', async () => {
    const response = await stack.fanout.inject({ url: '/test/ip', headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(response.json()).toEqual({ ip: '203.0.113.7' });
  });

  it('admits its own origin, configured origins and non-browser clients; refuses other sites', async () => {
    const host = new URL(stack.fanoutUrl).host;
    expect(await outcome(open({ 'x-forwarded-for': address() }))).toBe('connected');
    expect(await outcome(open({ 'x-forwarded-for': address(), origin: `http://${host}` }))).toBe('connected');
    expect(await outcome(open({ 'x-forwarded-for': address(), origin: 'http://liveline.test' }))).toBe('connected'); // PUBLIC_URL
    expect(await outcome(open({ 'x-forwarded-for': address(), origin: 'https://partner.example' }))).toBe('connected');
    expect(await outcome(open({ 'x-forwarded-for': address(), origin: 'https://evil.example' }, ['polling']))).toMatch(/^refused/);
    expect(await outcome(open({ 'x-forwarded-for': address(), origin: 'https://evil.example' }))).toMatch(/^refused/);
    expect(await outcome(open({ 'x-forwarded-for': address(), origin: 'null' }, ['polling']))).toMatch(/^refused/);
  });

  it('caps connections per client address (from X-Forwarded-For), and admits again once one closes', async () => {
    const crowded = { 'x-forwarded-for': address() };
    const first = [open(crowded), open(crowded), open(crowded)];
    for (const socket of first) expect(await outcome(socket)).toBe('connected');
    expect(await outcome(open(crowded, ['polling']))).toMatch(/^refused/);
    // Another reader behind the same proxy is not affected.
    expect(await outcome(open({ 'x-forwarded-for': address() }))).toBe('connected');

    first[0]!.close();
    let result = '';
    const deadline = Date.now() + 10_000;
    while (result !== 'connected' && Date.now() < deadline) {
      result = await outcome(open(crowded, ['polling']));
      if (result !== 'connected') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(result).toBe('connected');
  });

  it('refuses a flooding socket beyond its budget, then drops it, while other readers keep receiving through Redis', async () => {
    const { slug } = await createPost(stack.primary, { title: 'Fan-out flood', status: 'live' });
    const calm = open({ 'x-forwarded-for': address() });
    const calmChanges: Change[] = [];
    calm.on('change', (change: Change) => calmChanges.push(change));
    expect(await calm.timeout(5000).emitWithAck('subscribe', { slug })).toEqual({ ok: true, lastSeq: 0 });

    const flooder = open({ 'x-forwarded-for': address() });
    await outcome(flooder);
    await floodUntilCutOff(flooder, slug);

    expect((await postEntry(stack.primary, slug, 'still flowing')).statusCode).toBe(201);
    await until(() => calmChanges.length === 1, 'the calm reader to get the change from the primary, through Redis');
    expect(calm.connected).toBe(true);

    // The same metrics as the primary's, on the fan-out node's own registry.
    const metrics = await (await fetch(`${stack.fanoutUrl}/metrics`)).text();
    expect(metrics).toMatch(/^liveline_connected_readers \d+$/m);
    expect(metrics).toMatch(/^liveline_wire_fast_path 1$/m);
  });

  it('closes the connection of a socket that sends more than 4 KiB', async () => {
    const socket = open({ 'x-forwarded-for': address() });
    await outcome(socket);
    await expectOversizedMessageCloses(socket);
  });

  it("drops a reader that stops reading once it holds more than SOCKET_MAX_BUFFERED_KB (stream changes framed once and written directly, as on the primary), while others get every change", async () => {
    const { slug } = await createPost(stack.primary, { title: 'Fan-out slow reader', status: 'live' });
    const calm = open({ 'x-forwarded-for': address() });
    const calmChanges: Change[] = [];
    calm.on('change', (change: Change) => calmChanges.push(change));
    expect(await calm.timeout(5000).emitWithAck('subscribe', { slug })).toEqual({ ok: true, lastSeq: 0 });
    const stalled = await stalledWebSocketReader(stack.fanoutUrl, slug, { 'x-forwarded-for': address() });
    cleanups.push(() => stalled.close());
    stalled.pause();

    // About 6 MB of changes (a ~20,000-character entry each): far beyond the cap and the kernel's buffers.
    const burst = 150;
    for (let n = 1; n <= burst; n++) {
      expect((await postEntry(stack.primary, slug, `Entry ${n}: ${'liveblog '.repeat(2_210)}`.slice(0, 19_900), 'editor')).statusCode).toBe(201);
    }
    await until(() => calmChanges.length === burst, 'the calm reader to get every change through Redis', 30_000);
    expect(calmChanges.map((change) => change.seq)).toEqual(Array.from({ length: burst }, (_, i) => i + 1));
    expect(calm.connected).toBe(true);
    await until(
      async () => /^liveline_slow_readers_dropped_total\{transport="websocket"\} 1$/m.test(await (await fetch(`${stack.fanoutUrl}/metrics`)).text()),
      'the fan-out node to drop the stalled reader',
    );
    // Its transport was closed: reading again, it sees the connection end (and a real client reconnects).
    await stalled.resumeUntilClosed();
  }, 60_000);
});
