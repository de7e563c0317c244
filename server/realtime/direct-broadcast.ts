import type { Namespace, Socket } from 'socket.io';
import * as parser from 'socket.io-parser';
import * as ws from 'ws';

/**
 * The engine.io and ws internals the direct path relies on (engine.io 6, ws 8). engine.io's own
 * WebSocket transport writes Socket.IO's pre-encoded broadcast frames the same way, through
 * `_sender.sendFrame`; every field is checked before use, and anything unexpected takes the
 * ordinary path.
 */
type WsInternals = { readyState: number; _sender?: { sendFrame?: (list: Buffer[], cb?: (error?: Error) => void) => void } };
type EngineInternals = {
  readyState: string;
  upgrading: boolean;
  writeBuffer: unknown[];
  transport: { name: string; socket?: WsInternals };
};
type FrameBuilder = { frame(data: Buffer, options: { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean }): Buffer[] };
// ws exports its Sender (the frame builder Socket.IO's adapter uses); @types/ws does not declare it.
const Sender = (ws as unknown as { Sender: FrameBuilder }).Sender;
const TEXT = 1;
const WS_OPEN = 1;
/** Sockets written between two yields to the event loop by emitVolatile. */
const VOLATILE_SLICE = 500;

/**
 * Sends one event to every socket of a room of this node, encoded and framed once.
 *
 * Socket.IO's in-memory adapter encodes a broadcast once too, but then takes every delivery
 * through engine.io's per-socket queue: half a dozen events, callbacks and arrays per reader.
 * At 10,000 readers that was a third of the server's CPU per delivery and kept fan-out latency
 * well above a bare `ws` broadcast (bench/README.md). Here a WebSocket reader whose engine.io
 * queue is empty gets the frame written to its socket directly: nothing waits ahead of it, so
 * order is kept. Every other socket (HTTP long-polling, mid-upgrade, packets still queued)
 * gets the event through Socket.IO as usual, behind what is queued.
 */
export class DirectBroadcast {
  constructor(
    private readonly nsp: Namespace,
    /** The server's encoder (Socket.IO types it from socket.io-parser's CommonJS build). */
    private readonly encoder: Pick<parser.Encoder, 'encode'>,
  ) {}

  /** Returns how many sockets were written to directly. */
  emit(room: string, event: string, payload: unknown): number {
    const members = this.nsp.adapter.rooms.get(room);
    if (!members || members.size === 0) return 0;
    const frame = this.frame(event, payload);
    let direct = 0;
    for (const id of members) {
      const socket = this.nsp.sockets.get(id);
      if (!socket) continue;
      if (this.write(socket, frame)) direct++;
      else socket.emit(event, payload);
    }
    return direct;
  }

  /**
   * A droppable, low-priority event (a reader count): written in slices, yielding to the event
   * loop in between, so that going out to 10,000 readers it never holds up an author's POST and
   * its change for the whole room. A socket that cannot take it at once skips it, as Socket.IO's
   * volatile events do. Resolves with how many sockets got it.
   */
  async emitVolatile(room: string, event: string, payload: unknown): Promise<number> {
    const members = this.nsp.adapter.rooms.get(room);
    if (!members || members.size === 0) return 0;
    const frame = this.frame(event, payload);
    const ids = [...members];
    let sent = 0;
    for (let index = 0; index < ids.length; index++) {
      if (index > 0 && index % VOLATILE_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const socket = this.nsp.sockets.get(ids[index]!);
      if (!socket) continue;
      if (this.write(socket, frame)) sent++;
      else if ((socket.conn as unknown as EngineInternals).transport.name !== 'websocket') {
        socket.volatile.emit(event, payload);
        sent++;
      }
    }
    return sent;
  }

  /** The packet as one WebSocket frame: '4' is engine.io's "message"; header and payload in one buffer. */
  private frame(event: string, payload: unknown): Buffer[] {
    const [encoded] = this.encoder.encode({ type: parser.PacketType.EVENT, nsp: this.nsp.name, data: [event, payload] }) as [string];
    return [Buffer.concat(Sender.frame(Buffer.from(`4${encoded}`), { readOnly: false, mask: false, rsv1: false, opcode: TEXT, fin: true }))];
  }

  /** Writes the frame straight to a WebSocket reader with nothing queued; false when it cannot. */
  private write(socket: Socket, frame: Buffer[]): boolean {
    const engine = socket.conn as unknown as EngineInternals;
    const sender = engine.transport.socket?._sender;
    if (
      engine.readyState !== 'open' ||
      engine.upgrading ||
      engine.transport.name !== 'websocket' ||
      // A WebSocket closing (its close frame sent or received) takes nothing more.
      engine.transport.socket?.readyState !== WS_OPEN ||
      engine.writeBuffer.length > 0 ||
      typeof sender?.sendFrame !== 'function'
    ) {
      return false;
    }
    sender.sendFrame(frame);
    return true;
  }
}
