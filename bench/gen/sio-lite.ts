/**
 * A reader speaking the Socket.IO v4 wire protocol (Engine.IO v4 over a WebSocket) directly, with
 * nothing but `ws` and JSON.parse: the same bytes socket.io-client exchanges, at a fraction of its
 * CPU per message. One generator core holds thousands of readers; with socket.io-client it, not
 * the server, was the bottleneck at 10,000 readers. The bare-`ws` floor's readers use `ws` too, so
 * both sides of the comparison pay the same client cost.
 *
 * Engine.IO packets are one character of type then data: 0 open, 1 close, 2 ping, 3 pong,
 * 4 message. A Socket.IO packet rides in a message: 0 connect, 1 disconnect, 2 event, 3 ack,
 * 4 connect error, then an optional ack id, then a JSON array.
 */
import WebSocket from 'ws';

export type LiteEvents = {
  /** An event from the server: its name and arguments. */
  event(name: string, args: unknown[]): void;
  /** The connection is gone (not after close()). */
  closed(reason: string): void;
};

export class SioLite {
  private socket: WebSocket | undefined;
  private nextAck = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private closing = false;

  constructor(
    private readonly url: string,
    private readonly localAddress: string,
    private readonly events: LiteEvents,
  ) {}

  /** Opens the WebSocket and the default namespace; rejects on any failure before that. */
  connect(timeoutMs: number): Promise<void> {
    this.closing = false;
    const endpoint = `${this.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const socket = new WebSocket(endpoint, { localAddress: this.localAddress, perMessageDeflate: false });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      // Per connection: a dead socket's late 'close' must not touch a newer connection's state.
      let state: 'connecting' | 'open' | 'dead' = 'connecting';
      const fail = (reason: string) => {
        if (state === 'dead') return;
        const wasOpen = state === 'open';
        state = 'dead';
        clearTimeout(timer);
        if (!wasOpen) {
          socket.terminate();
          reject(new Error(reason));
          return;
        }
        // Closed on purpose (close()) or already replaced by a newer connection: nothing to report.
        if (this.closing || this.socket !== socket) return;
        this.closing = true;
        for (const done of this.acks.values()) done([{ ok: false, error: { message: reason } }]);
        this.acks.clear();
        this.events.closed(reason);
      };
      const timer = setTimeout(() => fail('connect timeout'), timeoutMs);
      socket.on('error', (error) => fail(error.message));
      socket.on('close', () => fail('transport close'));
      socket.on('message', (data) => {
        const text = data.toString();
        switch (text.charCodeAt(0)) {
          case 0x30: // open: join the default namespace
            socket.send('40');
            return;
          case 0x32: // ping
            socket.send('3');
            return;
          case 0x31: // close
            fail('server close');
            return;
          case 0x34:
            break;
          default:
            return;
        }
        const kind = text.charCodeAt(1);
        if (kind === 0x30 && state === 'connecting') {
          state = 'open';
          clearTimeout(timer);
          resolve();
        } else if (kind === 0x34) fail(`connect error: ${text.slice(2)}`);
        else if (kind === 0x31) fail('io server disconnect');
        else if (kind === 0x32) {
          const [name, ...args] = JSON.parse(text.slice(2)) as [string, ...unknown[]];
          this.events.event(name, args);
        } else if (kind === 0x33) {
          const open = text.indexOf('[');
          const id = Number(text.slice(2, open));
          const done = this.acks.get(id);
          this.acks.delete(id);
          done?.(JSON.parse(text.slice(open)) as unknown[]);
        }
      });
    });
  }

  /** Emits an event and resolves with the server's ack arguments. */
  emitWithAck(name: string, payload: unknown, timeoutMs: number): Promise<unknown[]> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error('not connected'));
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no ack for ${name} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args);
      });
      socket.send(`42${id}${JSON.stringify([name, payload])}`);
    });
  }

  /** Leaves the namespace and closes the WebSocket, as socket.io-client's disconnect() does. */
  close(): void {
    this.closing = true;
    this.acks.clear();
    const socket = this.socket;
    this.socket = undefined;
    if (socket?.readyState === WebSocket.OPEN) {
      socket.send('41');
      socket.close();
    } else socket?.terminate();
  }
}
