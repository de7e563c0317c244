import type { Namespace } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { DirectBroadcast } from './direct-broadcast.js';
import { installedLibraries, Wire } from './internals.js';
import { preSerializedParser } from './pre-serialized.js';

/**
 * The decisions DirectBroadcast makes per socket, on stand-in sockets that carry a real ws Sender
 * (so they pass the connection probe). wire.test.ts runs the same path on the real stack.
 */
type SenderClass = new (socket: { cork(): void; uncork(): void; write(chunk: Buffer): boolean }) => object;
const Sender = installedLibraries.Sender as SenderClass;

type FakeOptions = { transport?: 'websocket' | 'polling'; queued?: number; closing?: boolean; deflate?: boolean; broken?: boolean };

/** A reader as the direct path sees it: engine.io state, a real ws Sender writing into a recorder, and Socket.IO's emit. */
function fakeSocket(id: string, options: FakeOptions = {}) {
  const frames: Buffer[] = [];
  const emitted: string[] = [];
  const volatile: string[] = [];
  let closed = false;
  const sink = {
    cork() {},
    uncork() {},
    write(chunk: Buffer) {
      if (options.broken) throw new Error('write EPIPE');
      frames.push(chunk);
      return true;
    },
  };
  const socket = {
    id,
    conn: {
      readyState: 'open',
      upgrading: false,
      writeBuffer: Array.from({ length: options.queued ?? 0 }),
      transport: {
        name: options.transport ?? 'websocket',
        perMessageDeflate: options.deflate ? { threshold: 1024 } : null,
        socket: { readyState: options.closing ? 2 : 1, _sender: new Sender(sink) },
      },
      close: () => (closed = true),
    },
    emit: (event: string) => emitted.push(event),
    volatile: { emit: (event: string) => volatile.push(event) },
  };
  return { socket, frames, emitted, volatile, closed: () => closed };
}

function fakeNamespace(sockets: ReturnType<typeof fakeSocket>[]): Namespace {
  return {
    name: '/',
    adapter: { rooms: new Map([['post:1', new Set(sockets.map((s) => s.socket.id))]]) },
    sockets: new Map(sockets.map((s) => [s.socket.id, s.socket])),
  } as unknown as Namespace;
}

const encoder = new preSerializedParser.Encoder();
const warnings: string[] = [];
const wire = () => new Wire({ warn: (_details, message) => warnings.push(message) }, { watchAdapter: false });

describe('DirectBroadcast', () => {
  it('writes one ready-made WebSocket frame to idle WebSocket readers and leaves the rest to Socket.IO', () => {
    const idle = fakeSocket('a');
    const polling = fakeSocket('b', { transport: 'polling' });
    const busy = fakeSocket('c', { queued: 1 });
    const closing = fakeSocket('d', { closing: true });
    const compressed = fakeSocket('e', { deflate: true });
    const broadcast = new DirectBroadcast(fakeNamespace([idle, polling, busy, closing, compressed]), encoder, wire());

    expect(broadcast.emit('post:1', 'change', { seq: 7 })).toBe(1);
    // FIN + text opcode, payload length, then engine.io "message" + Socket.IO event packet.
    const payload = '42["change",{"seq":7}]';
    expect(idle.frames).toEqual([Buffer.concat([Buffer.from([0x81, payload.length]), Buffer.from(payload)])]);
    expect(polling.emitted).toEqual(['change']);
    expect(busy.emitted).toEqual(['change']);
    // A closing WebSocket is left to Socket.IO, which knows what to do with it.
    expect(closing.frames).toEqual([]);
    expect(closing.emitted).toEqual(['change']);
    // permessage-deflate: ws may be compressing a message asynchronously; a frame must not overtake it.
    expect(compressed.frames).toEqual([]);
    expect(compressed.emitted).toEqual(['change']);
    expect(broadcast.emit('post:2', 'change', { seq: 8 })).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('still delivers to the other readers when one cannot be written to, closes that one, and then reports the failure', () => {
    const before = fakeSocket('a');
    const broken = fakeSocket('b', { broken: true });
    const after = fakeSocket('c');
    const broadcast = new DirectBroadcast(fakeNamespace([before, broken, after]), encoder, wire());

    expect(() => broadcast.emit('post:1', 'change', { seq: 1 })).toThrow(AggregateError);
    expect(before.frames).toHaveLength(1);
    expect(after.frames).toHaveLength(1);
    expect(broken.closed()).toBe(true);
    expect([before, after].every((reader) => !reader.closed())).toBe(true);
  });

  it('sends a volatile event in slices, letting other work run in between, and drops it for busy readers', async () => {
    const readers = Array.from({ length: 1200 }, (_, i) => fakeSocket(`r${i}`));
    const busy = fakeSocket('busy', { queued: 2 });
    const polling = fakeSocket('poll', { transport: 'polling' });
    const broken = fakeSocket('broken', { broken: true });
    const broadcast = new DirectBroadcast(fakeNamespace([...readers, busy, polling, broken]), encoder, wire());

    let writtenWhenOtherWorkRan = -1;
    setImmediate(() => (writtenWhenOtherWorkRan = readers.filter((r) => r.frames.length > 0).length));
    const sent = await broadcast.emitVolatile('post:1', 'presence', { readers: 1202 });

    expect(sent).toBe(1201);
    expect(writtenWhenOtherWorkRan).toBeGreaterThan(0);
    expect(writtenWhenOtherWorkRan).toBeLessThan(1200);
    expect(readers.every((r) => r.frames.length === 1)).toBe(true);
    expect(busy.frames).toEqual([]);
    expect(busy.emitted).toEqual([]);
    expect(polling.volatile).toEqual(['presence']);
  });
});
