import type { Namespace, Socket } from 'socket.io';
import * as parser from 'socket.io-parser';
import type { Wire } from './internals.js';

/** Sockets written between two yields to the event loop by emitVolatile. */
const VOLATILE_SLICE = 500;

/**
 * Sends one event to every socket of a room of this node, encoded and framed once.
 *
 * Socket.IO's in-memory adapter encodes a broadcast once too, but then takes every delivery
 * through engine.io's per-socket queue: half a dozen events, callbacks and arrays per reader.
 * At 10,000 readers that was a third of the server's CPU per delivery and kept fan-out latency
 * well above a bare `ws` broadcast (bench/README.md). Here a WebSocket reader whose engine.io
 * queue is empty gets the frame written to its socket directly (through `Wire`, the one module
 * that touches the libraries' internals): nothing waits ahead of it, so order is kept. Every
 * other socket (HTTP long-polling, mid-upgrade, packets still queued, compression on) gets the
 * event through Socket.IO as usual, behind what is queued. When the start-up probe found the
 * internals changed, the whole room takes Socket.IO's ordinary path.
 *
 * Deliveries to this node only: with the Redis adapter, other nodes get changes through the stream.
 */
export class DirectBroadcast {
  constructor(
    private readonly nsp: Namespace,
    /** The server's encoder (Socket.IO types it from socket.io-parser's CommonJS build). */
    private readonly encoder: Pick<parser.Encoder, 'encode'>,
    private readonly wire: Wire,
    /**
     * Told of each reader written to directly. Those writes bypass engine.io, so whatever watches
     * its packets (the send-buffer cap, slow-readers.ts) would not see them otherwise.
     */
    private readonly written: (connection: Socket['conn']) => void = () => {},
  ) {}

  /**
   * Returns how many sockets were written to directly. A reader that cannot be written to at all
   * has its connection closed, so that it reconnects and catches up from the log; the others
   * still get the event, and the failure is thrown once, after the loop, for the caller to count.
   */
  emit(room: string, event: string, payload: unknown): number {
    const members = this.nsp.adapter.rooms.get(room);
    if (!members || members.size === 0) return 0;
    const frame = this.frame(event, payload);
    if (!frame) {
      this.nsp.local.to(room).emit(event, payload);
      return 0;
    }
    let direct = 0;
    const failed: { socket: Socket; error: unknown }[] = [];
    for (const id of members) {
      const socket = this.nsp.sockets.get(id);
      if (!socket) continue;
      try {
        if (this.wire.write(socket.conn, frame)) {
          direct++;
          this.written(socket.conn);
        } else socket.emit(event, payload);
      } catch (error) {
        failed.push({ socket, error });
      }
    }
    if (failed.length > 0) {
      for (const { socket } of failed) closeQuietly(socket);
      throw new AggregateError(
        failed.map((failure) => failure.error),
        `${failed.length} reader(s) of ${room} could not be sent "${event}"; their connections were closed so that they reconnect and catch up`,
      );
    }
    return direct;
  }

  /**
   * A droppable, low-priority event (a reader count): written in slices, yielding to the event
   * loop in between, so that going out to 10,000 readers it never holds up an author's POST and
   * its change for the whole room. A socket that cannot take it at once skips it, as Socket.IO's
   * volatile events do. Resolves with how many sockets got it; never rejects.
   */
  async emitVolatile(room: string, event: string, payload: unknown): Promise<number> {
    const members = this.nsp.adapter.rooms.get(room);
    if (!members || members.size === 0) return 0;
    const frame = this.frame(event, payload);
    if (!frame) {
      this.nsp.local.to(room).volatile.emit(event, payload);
      return members.size;
    }
    const ids = [...members];
    let sent = 0;
    for (let index = 0; index < ids.length; index++) {
      if (index > 0 && index % VOLATILE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const socket = this.nsp.sockets.get(ids[index]!);
      if (!socket) continue;
      try {
        if (this.wire.write(socket.conn, frame)) {
          sent++;
          this.written(socket.conn);
        } else if (socket.conn.transport.name !== 'websocket') {
          socket.volatile.emit(event, payload);
          sent++;
        }
      } catch {
        // Volatile: a reader that cannot take a count now gets the next one (or reconnects).
      }
    }
    return sent;
  }

  /**
   * Sends one event to one socket: framed once per `shared` (the same replay for every reader
   * rejoining at the same seq after a restart) and written directly when nothing is queued ahead
   * of it, else through Socket.IO. Rejoining readers used to pay the UTF-8 encoding of the whole
   * replay and engine.io's per-packet work each; now they share one buffer. True when written directly.
   */
  emitTo(socket: Socket, event: string, payload: unknown, shared: object): boolean {
    let frame = this.frames.get(shared);
    if (!frame && this.wire.fastPath) {
      frame = this.frame(event, payload);
      if (frame) this.frames.set(shared, frame);
    }
    if (frame && this.wire.write(socket.conn, frame)) {
      this.written(socket.conn);
      return true;
    }
    socket.emit(event, payload);
    return false;
  }

  /** Frames built by emitTo, held as long as what they were built for. */
  private readonly frames = new WeakMap<object, Buffer[]>();

  /** The packet as one WebSocket frame; undefined on the ordinary path. */
  private frame(event: string, payload: unknown): Buffer[] | undefined {
    if (!this.wire.fastPath) return undefined;
    const [encoded] = this.encoder.encode({ type: parser.PacketType.EVENT, nsp: this.nsp.name, data: [event, payload] }) as [string];
    return this.wire.frame(encoded);
  }
}

/** Drops the transport only (no disconnect packet): the client reconnects and catches up with `since`. */
function closeQuietly(socket: Socket): void {
  try {
    socket.conn.close();
  } catch {
    // Already broken beyond closing; engine.io's ping timeout will reap it.
  }
}
