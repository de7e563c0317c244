import type { FastifyBaseLogger } from 'fastify';
import type { Server } from 'socket.io';
import type { Metrics } from '../metrics/metrics.js';
import { ThrottledWarning } from './throttled-warning.js';
import type { Wire } from './wire/internals.js';

/**
 * The per-reader send-buffer cap (SOCKET_MAX_BUFFERED_KB). A reader that stops reading (a
 * phone gone into a tunnel, a laptop lid closed mid-keynote, or someone holding 1,000 sockets
 * open on purpose) keeps being sent every change; until the ping timeout notices, what it has not
 * taken piles up in the server, in engine.io's queue or in the WebSocket's socket buffer, and a
 * burst of large entries to a thousand such readers grows memory without bound. So each reader is
 * looked at after anything is written to it, and one holding more than the cap is dropped.
 *
 * Dropped means its transport closed at once (Wire.drop), its backlog discarded, never a Socket.IO
 * disconnect packet: its client reconnects as after any network blip and subscribes with its
 * lastSeq, so it loses nothing (the replay, at most about 128 KiB, and HTTP catch-up for the
 * rest). A reader that reads, even slowly, never comes near the cap in ordinary traffic; a cap of
 * 512 KiB is tens of large entries, or seconds of a slow mobile link, behind.
 *
 * Writes reach a reader two ways, and both are watched: engine.io's `packetCreate` (everything
 * that goes through Socket.IO: the ordinary path, presence, replays to readers not idle) and
 * DirectBroadcast's own writes, which bypass engine.io (every change, on the primary and, from
 * the stream or HTTP catch-up, on fan-out nodes; replays framed once). The look happens once the
 * current burst of synchronous writes is done (a microtask), so a broadcast to 10,000 readers is
 * not slowed by it, and a reader is over the cap by at most what one tick wrote to it.
 */

/** The engine.io connection, as far as the cap sees it (everything else goes through Wire). */
type Connection = {
  readonly readyState: string;
  readonly transport: { readonly name: string };
  on(event: 'packetCreate', listener: (this: Connection) => void): void;
};

export class SlowReaders {
  private readonly maxBytes: number;
  private readonly due = new Set<Connection>();
  private scheduled = false;
  private readonly warning: ThrottledWarning;

  constructor(
    /** SOCKET_MAX_BUFFERED_KB; 0 turns the cap off. */
    maxBufferedKb: number,
    private readonly wire: Wire,
    private readonly metrics: Metrics,
    log: FastifyBaseLogger,
  ) {
    this.maxBytes = maxBufferedKb * 1024;
    this.warning = new ThrottledWarning(log, (times) => `dropped ${times} reader(s) holding more than SOCKET_MAX_BUFFERED_KB unsent (they stopped reading); they reconnect and catch up`);
  }

  /** Watches every packet Socket.IO and engine.io queue for a reader of this node. */
  track(io: Server): void {
    if (this.maxBytes === 0) return;
    // One listener shared by every reader (EventEmitter calls it with the reader's connection as
    // `this`), not a closure per reader: it is held as long as the reader is connected.
    const written = this.written;
    const packetCreated = function (this: Connection): void {
      written(this);
    };
    io.engine.on('connection', (conn: Connection) => conn.on('packetCreate', packetCreated));
  }

  /** Something was written or queued for this reader: look at it once the current writes are done. */
  readonly written = (connection: unknown): void => {
    if (this.maxBytes === 0) return;
    this.due.add(connection as Connection);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.sweep());
  };

  private sweep(): void {
    this.scheduled = false;
    const due = [...this.due];
    this.due.clear();
    for (const conn of due) {
      if (conn.readyState !== 'open') continue;
      const bytes = this.wire.bufferedBytes(conn);
      if (bytes === undefined || bytes <= this.maxBytes) continue;
      const transport = conn.transport.name;
      this.wire.drop(conn);
      this.metrics.slowReadersDropped.inc({ transport });
      this.warning.note({ bufferedBytes: bytes, transport, capBytes: this.maxBytes });
    }
  }
}
