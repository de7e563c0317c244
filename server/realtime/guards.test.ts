import type { Socket } from 'socket.io';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NO_PROXY } from '../domain/proxies.js';
import { SocketGuards } from './guards.js';

/**
 * The event budget on a stand-in socket (socket-guards.test.ts floods a real one): its windows
 * now live in one map, opened by a socket's first event rather than at connect, so check the rule
 * itself: `budget` events served per 10 s, the next ones refused with an ack, past twice the
 * budget the socket is dropped, and a new window serves again.
 */
type Middleware = (packet: unknown[], next: (error?: Error) => void) => void;

function standIn(id: string) {
  const middlewares: Middleware[] = [];
  const socket = { id, handshake: { address: '192.0.2.1' }, disconnected: false, use: (fn: Middleware) => void middlewares.push(fn), disconnect: () => void (socket.disconnected = true) };
  /** Sends one event through the middleware: 'served', the refusal's error code, or 'dropped'. */
  const send = (): string => {
    let outcome = socket.disconnected ? 'dropped' : 'none';
    middlewares[0]!(['subscribe', {}, (result: { error: { code: string } }) => (outcome = result.error.code)], () => (outcome = 'served'));
    return socket.disconnected ? 'dropped' : outcome;
  };
  return { socket: socket as unknown as Socket, send, middlewares };
}

const log = { warn: () => {} } as unknown as ConstructorParameters<typeof SocketGuards>[1];

afterEach(() => void vi.useRealTimers());

describe('the event budget', () => {
  it('serves the budget per window, refuses the rest, drops a flood, and serves again in a new window', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const guards = new SocketGuards({ publicUrl: undefined, allowedOrigins: [], trustProxy: NO_PROXY, maxConnectionsPerIp: 0, maxEventsPer10s: 3 }, log);
    const a = standIn('a');
    const b = standIn('b');
    guards.limitEvents(a.socket);
    guards.limitEvents(b.socket);
    expect(a.middlewares).toHaveLength(1);

    expect([a.send(), a.send(), a.send(), a.send()]).toEqual(['served', 'served', 'served', 'rate-limited']);
    // Another socket has its own window.
    expect(b.send()).toBe('served');
    vi.advanceTimersByTime(10_000);
    expect([a.send(), a.send(), a.send(), a.send(), a.send(), a.send()]).toEqual(['served', 'served', 'served', 'rate-limited', 'rate-limited', 'rate-limited']);
    expect(a.send()).toBe('dropped');
    expect(b.send()).toBe('served');
  });
});
