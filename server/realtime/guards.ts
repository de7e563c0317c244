import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Server, Socket } from 'socket.io';
import { clientAddress, trustFunction, type ProxyTrust, type TrustFunction } from '../domain/proxies.js';
import { ThrottledWarning } from './throttled-warning.js';

/**
 * Guards for Socket.IO traffic. Fastify's hooks (helmet, rate limits, load shedding) never see
 * /socket.io/ requests and CORS does not apply to WebSockets, so the socket layer checks for itself:
 *
 * - Origin: a browser always sends Origin on a WebSocket handshake and on cross-origin requests.
 *   Allowed: our own origin (the Origin's host equals the Host header, or it is PUBLIC_URL) and
 *   ALLOWED_ORIGINS. A request WITHOUT Origin is allowed: it comes from a non-browser client
 *   (socket.io-client in Node, curl) or a same-origin polling GET, and a non-browser client could
 *   forge any Origin anyway. The check exists to stop other sites' pages from using a visitor's
 *   browser (cross-site WebSocket hijacking), which always carries a foreign Origin.
 * - Connections per client address, capped (SOCKET_MAX_CONNECTIONS_PER_IP; 0 = no cap). Over the
 *   cap the handshake is refused on every transport, yet the reader is not left without updates:
 *   its page follows the change log over HTTP instead (client/live-sync.ts polls
 *   `/changes?poll=1`, which nginx's micro-cache answers for a whole crowd at once). Long-polling
 *   is not let through as a cheaper lane: each such reader would hold server state like any
 *   socket, and the cap is what bounds that state per address.
 *   Refusals are counted (`liveline_socket_handshakes_refused_total{reason}`) and, since a crowd
 *   behind one address keeps retrying, logged at most once a minute.
 * - Events per socket: at most SOCKET_MAX_EVENTS_PER_10S; extra events get an error ack and are
 *   dropped; a socket that keeps flooding at twice the budget is disconnected.
 *
 * What the server sends is guarded too, per reader: slow-readers.ts caps the unsent data one
 * reader may hold (SOCKET_MAX_BUFFERED_KB).
 */
export type GuardOptions = {
  publicUrl: string | undefined;
  allowedOrigins: string[];
  /** Which proxies to believe about client addresses (TRUST_PROXY); the same rule as HTTP's. */
  trustProxy: ProxyTrust;
  maxConnectionsPerIp: number;
  maxEventsPer10s: number;
};

const WINDOW_MS = 10_000;

/** Why a handshake was refused, as counted. */
export type Refusal = 'origin' | 'address-cap';

export class SocketGuards {
  private readonly connections = new Map<string, number>();
  /** The address each open engine connection was counted under (track), by engine.io id (a string key: an object key would make V8 give each connection an identity hash). */
  private readonly addressOf = new Map<string, string>();
  private readonly origins: Set<string>;
  private readonly trusts: TrustFunction;
  private readonly crowded: ThrottledWarning;

  constructor(
    private readonly options: GuardOptions,
    private readonly log: FastifyBaseLogger,
    /** Told of every refused handshake (the node counts them). */
    private readonly refused: (reason: Refusal) => void = () => {},
  ) {
    this.origins = new Set(options.allowedOrigins);
    this.trusts = trustFunction(options.trustProxy);
    if (options.publicUrl) this.origins.add(new URL(options.publicUrl).origin);
    this.crowded = new ThrottledWarning(
      log,
      (times) => `socket handshake refused ${times} time(s): too many connections from one address (those readers follow over HTTP, more slowly)`,
    );
  }

  /** The client's address: the nearest hop no trusted proxy wrote (domain/proxies.ts), as Fastify reads it for HTTP. */
  clientAddress(request: IncomingMessage): string {
    return clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], this.trusts);
  }

  isOriginAllowed(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    if (this.origins.has(origin)) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false; // "null" (sandboxed frames, file://) and garbage
    }
  }

  /** Engine.IO `allowRequest`: called once per handshake, before any connection state exists. */
  readonly allowRequest = (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void): void => {
    if (!this.isOriginAllowed(request)) {
      this.log.warn({ origin: request.headers.origin }, 'socket handshake refused: origin not allowed');
      this.refused('origin');
      return callback('origin not allowed', false);
    }
    const cap = this.options.maxConnectionsPerIp;
    const address = this.clientAddress(request);
    if (cap > 0 && (this.connections.get(address) ?? 0) >= cap) {
      this.crowded.note({ address });
      this.refused('address-cap');
      return callback('too many connections', false);
    }
    callback(null, true);
  };

  /**
   * Counts open connections per address (the engine's connection is the unit a client holds).
   * Each connection's address is kept in one map and released by one `close` listener shared by
   * every connection (EventEmitter calls it with the connection as `this`): no closure per reader.
   */
  track(io: Server): void {
    const addresses = this.addressOf;
    const release = (address: string) => this.release(address);
    const closed = function (this: { id: string }): void {
      const address = addresses.get(this.id);
      if (address === undefined) return;
      addresses.delete(this.id);
      release(address);
    };
    io.engine.on('connection', (raw: { id: string; request: IncomingMessage; on(event: 'close', listener: (this: { id: string }) => void): void }) => {
      const address = this.clientAddress(raw.request);
      this.add(address);
      addresses.set(raw.id, address);
      raw.on('close', closed);
    });
  }

  /**
   * A Server-Sent Events stream counts as one connection of its address, under the same cap as
   * sockets (it holds as much state); returns the release to call when it ends, or undefined when
   * the address is over the cap (refused and counted like a handshake).
   */
  admitStream(request: IncomingMessage): (() => void) | undefined {
    const cap = this.options.maxConnectionsPerIp;
    const address = this.clientAddress(request);
    if (cap > 0 && (this.connections.get(address) ?? 0) >= cap) {
      this.crowded.note({ address });
      this.refused('address-cap');
      return undefined;
    }
    return this.hold(address);
  }

  private hold(address: string): () => void {
    this.add(address);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(address);
    };
  }

  private add(address: string): void {
    this.connections.set(address, (this.connections.get(address) ?? 0) + 1);
  }

  private release(address: string): void {
    const left = (this.connections.get(address) ?? 1) - 1;
    if (left <= 0) this.connections.delete(address);
    else this.connections.set(address, left);
  }

  connectionsFrom(address: string): number {
    return this.connections.get(address) ?? 0;
  }

  /**
   * Per-socket event budget, as Socket.IO middleware (runs before any event handler). What each
   * socket holds for it is one bound function: the count of its current window lives in one map,
   * only while the window is open (a reader that sent nothing for 10 s holds none).
   */
  limitEvents(socket: Socket): void {
    socket.use(this.spend.bind(this, socket));
  }

  /**
   * Event budget windows of the sockets that sent something in the last WINDOW_MS, by socket id
   * (not the socket: a window must not keep a gone reader's objects alive until it is swept).
   */
  private readonly windows = new Map<string, { start: number; count: number }>();
  private sweeping: NodeJS.Timeout | undefined;

  private spend(socket: Socket, packet: Parameters<Parameters<Socket['use']>[0]>[0], next: (error?: Error) => void): void {
    const budget = this.options.maxEventsPer10s;
    const now = Date.now();
    let window = this.windows.get(socket.id);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, count: 0 };
      this.windows.set(socket.id, window);
      this.sweepLater();
    }
    window.count += 1;
    if (window.count <= budget) return next();
    if (window.count > 2 * budget) {
      this.log.warn({ address: socket.handshake.address }, 'socket disconnected: event flood');
      this.windows.delete(socket.id);
      socket.disconnect(true);
      return;
    }
    const ack = packet[packet.length - 1];
    if (typeof ack === 'function') {
      (ack as (result: unknown) => void)({ ok: false, error: { code: 'rate-limited', message: `At most ${budget} events per 10 s; slow down.` } });
    }
  }

  /** Forgets windows that have ended (their next event opens a new one), gone sockets' with them. */
  private sweepLater(): void {
    if (this.sweeping) return;
    this.sweeping = setInterval(() => {
      const now = Date.now();
      for (const [id, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(id);
      if (this.windows.size === 0) {
        clearInterval(this.sweeping);
        this.sweeping = undefined;
      }
    }, WINDOW_MS);
    this.sweeping.unref();
  }
}
