import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { transports } from 'engine.io';
import { ClusterAdapter, type ClusterMessage } from 'socket.io-adapter';

/**
 * The only code in Liveline that touches private fields of engine.io, ws and socket.io-adapter.
 *
 * Why touch them at all: writing one ready-made WebSocket frame straight to each idle reader is
 * what keeps fan-out to 10,000 readers cheap (see direct-broadcast.ts), watching the Redis
 * adapter's incoming messages is what lets a fan-out node replay recent changes from memory
 * (adapter.ts), and measuring what a reader has not taken yet (engine.io's queue, the ws and
 * socket buffers under it) is what lets the node drop a reader that stopped reading before its
 * backlog grows without bound (slow-readers.ts). None is possible through the public API.
 *
 * How it stays safe, after socket.io's own in-memory adapter and engine.io's WebSocket transport,
 * which do the same thing:
 * - Versions are pinned exactly (engine.io, socket.io-adapter, ws, and through an `overrides`
 *   entry the ws engine.io loads); the reason is recorded in package.json under the "//" key.
 * - A probe runs at start-up on the real classes, and once more on the first real WebSocket
 *   reader for the fields that only exist on live objects. When anything differs, the node logs
 *   ONE warning naming what is missing and takes Socket.IO's ordinary path from then on
 *   (`io.local.to(room).emit`): slower, never wrong. (Without the adapter hook, a fan-out node
 *   delivers stream changes unwatched and replays joining readers from the primary. Without the
 *   send-buffer fields, probed on the first reader of each transport, nothing is measured and a
 *   reader that stops reading is left to engine.io's ping timeout, as before the cap.)
 * - Like engine.io's own `_canSendPreEncodedFrame`, a pre-built frame is never written to a
 *   transport that has permessage-deflate. The frame itself would be legal (RSV1 clear: not
 *   compressed), but ws deflates asynchronously and queues whatever comes behind a message being
 *   compressed, so a frame written past that queue would overtake it (wire.test.ts sees it).
 * - server/realtime/wire/wire.test.ts runs all of it against a real engine.io server and real
 *   socket.io-client readers, on WebSocket and on long-polling, with and without compression.
 */

const requireHere = createRequire(import.meta.url);
/**
 * The ws that engine.io itself loads (its own copy: engine.io 6.6 wants ws ~8.21 while the app
 * depends on a newer ws). Every live reader's WebSocket is made of this copy, so frames are built
 * and written with it, and the probe inspects it, not whatever `import 'ws'` resolves to.
 */
const engineWs = createRequire(requireHere.resolve('engine.io'))('ws') as { Sender: unknown; WebSocket: unknown };

/** The library classes the probe inspects; tests pass altered ones to see the fallback. */
export type Libraries = {
  /** ws's Sender (the frame builder and writer), from the ws engine.io loads. */
  Sender: unknown;
  /** engine.io's WebSocket transport class. */
  WebSocketTransport: unknown;
  /** socket.io-adapter's ClusterAdapter, base class of the Redis streams adapter. */
  ClusterAdapter: unknown;
  /** ws's WebSocket, from the ws engine.io loads (its bufferedAmount and terminate, for the send-buffer cap). */
  WebSocket: unknown;
};

export const installedLibraries: Libraries = { Sender: engineWs.Sender, WebSocketTransport: transports.websocket, ClusterAdapter, WebSocket: engineWs.WebSocket };

type FrameOptions = { readOnly: boolean; mask: boolean; rsv1: boolean; opcode: number; fin: boolean };
type Writable = { cork(): void; uncork(): void; write(chunk: Buffer, cb?: () => void): boolean };
type SenderClass = {
  new (socket: Writable): { sendFrame(list: Buffer[], cb?: (error?: Error) => void): void };
  frame(data: Buffer, options: FrameOptions): Buffer[];
};
type ClusterAdapterClass = abstract new (...args: never[]) => object;
/** What the direct path reads on engine.io's Socket (`socket.conn`), its transport and the ws under it. */
type EngineConnection = {
  readyState: string;
  upgrading: boolean;
  writeBuffer: { data?: unknown }[];
  close(discard?: boolean): void;
  transport: {
    name: string;
    perMessageDeflate?: unknown;
    socket?: {
      readyState: number;
      bufferedAmount?: number;
      terminate?: () => void;
      _sender?: { sendFrame?: (list: Buffer[]) => void };
      /** The net.Socket under the ws (for cork/uncork). */
      _socket?: { cork?: () => void; uncork?: () => void; destroyed?: boolean };
    };
  };
};

/** The ws WebSocket of an upgraded reader and the TCP socket under it, as releaseUpgrade sees them. */
type Listener = (...args: never[]) => unknown;
type Listening = { listeners(event: string): Listener[]; removeListener(event: string, listener: Listener): unknown };
type UpgradedWebSocket = Listening & { _socket: Listening };

/**
 * engine.io's WebSocketResponse (server.js) registers `socket.once("close", () => this.emit("close"))`
 * on the upgrade's TCP socket; nothing else on that socket is an anonymous arrow emitting "close".
 */
function isResponseCloseListener(listener: Listener): boolean {
  return listener.name === '' && /^\(\)\s*=>\s*this\.emit\(["']close["']\)$/.test(Function.prototype.toString.call(listener));
}

const UNCAPPED = "readers' send buffers are not capped: a reader that stops reading is dropped only by the ping timeout";

/** An unmasked, final text frame, as a server sends it; RSV1 clear: the payload is not compressed. */
const TEXT_FRAME: FrameOptions = { readOnly: false, mask: false, rsv1: false, opcode: 1, fin: true };
const WS_OPEN = 1;

export type ProbeReport = {
  /** What the framed-once path needs and did not find; empty when it can run. */
  direct: string[];
  /** What watching the Redis adapter's incoming messages needs and did not find. */
  adapter: string[];
  /** What measuring a WebSocket reader's unsent bytes and dropping it needs and did not find. */
  sendBuffer: string[];
};

/** Checks, on the classes themselves, every field and function this module relies on. */
export function probeLibraries(libraries: Libraries = installedLibraries): ProbeReport {
  return {
    direct: [...probeSender(libraries.Sender), ...probeTransport(libraries.WebSocketTransport)],
    adapter: probeAdapter(libraries.ClusterAdapter),
    sendBuffer: probeWebSocketClass(libraries.WebSocket),
  };
}

/** ws's WebSocket: `bufferedAmount` (a getter) and `terminate` are its public API, on the prototype. */
function probeWebSocketClass(WebSocket: unknown): string[] {
  const prototype = (WebSocket as { prototype?: object } | undefined)?.prototype;
  const missing: string[] = [];
  if (!prototype || typeof Object.getOwnPropertyDescriptor(prototype, 'bufferedAmount')?.get !== 'function') missing.push('ws WebSocket.bufferedAmount');
  if (typeof (prototype as { terminate?: unknown } | undefined)?.terminate !== 'function') missing.push('ws WebSocket.terminate');
  return missing;
}

function probeSender(Sender: unknown): string[] {
  const candidate = Sender as Partial<SenderClass> & { prototype?: { sendFrame?: unknown } };
  const missing: string[] = [];
  if (typeof candidate?.frame !== 'function') missing.push('ws Sender.frame');
  if (typeof candidate?.prototype?.sendFrame !== 'function') missing.push('ws Sender.prototype.sendFrame');
  if (missing.length) return missing;
  // Frame a payload and write it through a Sender into a recorder: the bytes must be exactly the
  // RFC 6455 frame the direct path promises the client.
  try {
    const written: Buffer[] = [];
    const sink: Writable = { cork() {}, uncork() {}, write: (chunk) => written.push(chunk) > 0 };
    const real = Sender as SenderClass;
    new real(sink).sendFrame([Buffer.concat(real.frame(Buffer.from('4probe'), TEXT_FRAME))]);
    const expected = Buffer.concat([Buffer.from([0x81, 6]), Buffer.from('4probe')]);
    if (!Buffer.concat(written).equals(expected)) missing.push('ws Sender.frame/sendFrame (they wrote different bytes than a plain text frame)');
  } catch (error) {
    missing.push(`ws Sender.frame/sendFrame (they threw: ${String(error)})`);
  }
  return missing;
}

function probeTransport(WebSocketTransport: unknown): string[] {
  if (typeof WebSocketTransport !== 'function') return ['engine.io transports.websocket'];
  // engine.io's transport keeps the ws it was made for in `socket` and, once the server has set
  // it, the compression setting in `perMessageDeflate`; build one on a stand-in ws to see that.
  const websocket = new EventEmitter();
  try {
    const transport = new (WebSocketTransport as new (request: object) => Record<string, unknown>)({ _query: { EIO: '4' }, websocket });
    const missing: string[] = [];
    if (transport.socket !== websocket) missing.push('engine.io WebSocket transport.socket');
    if (!('perMessageDeflate' in transport)) missing.push('engine.io WebSocket transport.perMessageDeflate');
    if (transport.name !== 'websocket') missing.push('engine.io WebSocket transport.name');
    return missing;
  } catch (error) {
    return [`engine.io WebSocket transport (constructing one threw: ${String(error)})`];
  } finally {
    websocket.removeAllListeners();
  }
}

function probeAdapter(Adapter: unknown): string[] {
  const candidate = Adapter as { prototype?: { onMessage?: unknown } } | undefined;
  return typeof Adapter === 'function' && typeof candidate?.prototype?.onMessage === 'function' ? [] : ['socket.io-adapter ClusterAdapter.prototype.onMessage'];
}

/** Checks the fields that only exist on a live connection (engine.io Socket, its transport, the ws under it). */
export function probeConnection(connection: unknown, Sender: unknown = installedLibraries.Sender): string[] {
  const conn = connection as Partial<EngineConnection> | undefined;
  const missing: string[] = [];
  if (typeof conn?.readyState !== 'string') missing.push('engine.io Socket.readyState');
  if (typeof conn?.upgrading !== 'boolean') missing.push('engine.io Socket.upgrading');
  if (!Array.isArray(conn?.writeBuffer)) missing.push('engine.io Socket.writeBuffer');
  const transport = conn?.transport;
  if (typeof transport?.name !== 'string') missing.push('engine.io Socket.transport.name');
  if (!transport || !('perMessageDeflate' in transport)) missing.push('engine.io WebSocket transport.perMessageDeflate');
  const ws = transport?.socket;
  if (typeof ws?.readyState !== 'number') missing.push('engine.io WebSocket transport.socket (a ws WebSocket)');
  // The Sender must be the very class the frames are built with: the ws engine.io loads.
  else if (!(typeof Sender === 'function' && ws._sender instanceof Sender)) missing.push('ws WebSocket._sender (a ws Sender)');
  return missing;
}

/**
 * Checks what the send-buffer cap reads on a live connection of either transport: engine.io's
 * queue (every transport), and on WebSocket the ws under it, its buffered bytes and terminate.
 */
export function probeSendBuffer(connection: unknown): string[] {
  const conn = connection as Partial<EngineConnection> | undefined;
  const missing: string[] = [];
  if (typeof conn?.readyState !== 'string') missing.push('engine.io Socket.readyState');
  if (!Array.isArray(conn?.writeBuffer)) missing.push('engine.io Socket.writeBuffer');
  if (typeof conn?.close !== 'function') missing.push('engine.io Socket.close');
  const transport = conn?.transport;
  if (typeof transport?.name !== 'string') missing.push('engine.io Socket.transport.name');
  else if (transport.name === 'websocket') {
    if (typeof transport.socket?.bufferedAmount !== 'number') missing.push('engine.io WebSocket transport.socket.bufferedAmount (a ws WebSocket)');
    if (typeof transport.socket?.terminate !== 'function') missing.push('engine.io WebSocket transport.socket.terminate (a ws WebSocket)');
  }
  return missing;
}

/** The bytes of one engine.io packet's payload: a string (Socket.IO's text packets) or binary. */
function payloadBytes(data: unknown): number {
  if (typeof data === 'string') return data.length;
  if (ArrayBuffer.isView(data) || data instanceof ArrayBuffer) return data.byteLength;
  return 0;
}

type WarnLog = { warn(details: object, message: string): void };

/**
 * The probed internals of one realtime node: builds frames, writes them, and hooks the cluster
 * adapter, or says it cannot and the caller takes the ordinary path.
 */
export class Wire {
  private whyOrdinary: string | undefined;
  private connectionProbed = false;
  /** Why unsent bytes cannot be measured (slow readers are then left to the ping timeout), when they cannot. */
  private whyUncapped: string | undefined;
  /** The transports whose live connections the send-buffer probe has seen. */
  private readonly sendBufferProbed = new Set<string>();
  private readonly Sender: SenderClass | undefined;
  /** Whether a reader's upgrade leftovers were found as expected (undefined: no reader seen yet). */
  private upgradeLeftovers: boolean | undefined;
  private readonly Adapter: ClusterAdapterClass | undefined;

  constructor(
    private readonly log: WarnLog,
    /** Whether this node watches the Redis adapter's messages (fan-out nodes with Redis). */
    { watchAdapter }: { watchAdapter: boolean },
    private readonly libraries: Libraries = installedLibraries,
  ) {
    const report = probeLibraries(libraries);
    if (report.direct.length === 0) this.Sender = libraries.Sender as SenderClass;
    if (report.adapter.length === 0) this.Adapter = libraries.ClusterAdapter as ClusterAdapterClass;
    const consequences: string[] = [];
    if (report.direct.length) {
      this.whyOrdinary = report.direct.join('; ');
      consequences.push("changes go to readers through Socket.IO's ordinary path, framed per reader");
    }
    if (watchAdapter && report.adapter.length) {
      consequences.push('stream changes are delivered unwatched: readers joining this fan-out node are replayed from the primary over HTTP, and may get a change twice (the page keeps it once)');
    }
    if (report.sendBuffer.length) {
      this.whyUncapped = report.sendBuffer.join('; ');
      consequences.push(UNCAPPED);
    }
    const missing = [...report.direct, ...(watchAdapter ? report.adapter : []), ...report.sendBuffer];
    if (missing.length) this.warn(missing, consequences);
  }

  /** True while changes are framed once and written straight to idle WebSocket readers. */
  get fastPath(): boolean {
    return this.whyOrdinary === undefined;
  }

  /** Why the fast path is off (the missing fields), when it is. */
  get reason(): string | undefined {
    return this.whyOrdinary;
  }

  /** One Engine.IO "message" packet ('4' + the encoded Socket.IO packet) as one WebSocket frame; undefined on the ordinary path. */
  frame(encoded: string): Buffer[] | undefined {
    if (!this.Sender || !this.fastPath) return undefined;
    return [Buffer.concat(this.Sender.frame(Buffer.from(`4${encoded}`), TEXT_FRAME))];
  }

  /**
   * Writes the frame straight to a reader's WebSocket when nothing can be ahead of it; false when
   * the reader must get the packet through Socket.IO instead (long-polling, mid-upgrade, packets
   * queued in engine.io, closing, compression, or the fast path off). May throw what ws throws.
   */
  write(connection: unknown, frame: Buffer[]): boolean {
    if (!this.fastPath) return false;
    const conn = connection as EngineConnection;
    if (conn.transport?.name !== 'websocket') return false;
    if (!this.connectionProbed && !this.probeFirstConnection(conn)) return false;
    const ws = conn.transport.socket;
    if (
      conn.readyState !== 'open' ||
      conn.upgrading ||
      // engine.io's own check before it writes a pre-encoded frame (`_canSendPreEncodedFrame`).
      conn.transport.perMessageDeflate ||
      // A WebSocket closing (its close frame sent or received) takes nothing more.
      ws?.readyState !== WS_OPEN ||
      conn.writeBuffer.length > 0 ||
      typeof ws._sender?.sendFrame !== 'function'
    ) {
      return false;
    }
    ws._sender.sendFrame(frame);
    return true;
  }

  /**
   * Corks a WebSocket reader's TCP socket, so that what is written to it until the returned
   * release (a replay, then the subscribe ack) leaves in one write; undefined when the reader is
   * not on a WebSocket or the field is not there (the writes then simply go one by one).
   */
  hold(connection: unknown): (() => void) | undefined {
    if (!this.fastPath) return undefined;
    const conn = connection as EngineConnection;
    const raw = conn.transport?.name === 'websocket' ? conn.transport.socket?._socket : undefined;
    const { cork, uncork } = raw ?? {};
    if (!raw || typeof cork !== 'function' || typeof uncork !== 'function') return undefined;
    cork.call(raw);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (!raw.destroyed) uncork.call(raw);
    };
  }

  /**
   * What the server holds for one reader and has not sent yet: the packets in engine.io's queue
   * (every transport; on long-polling that is all of it, until the next poll takes it) plus, on
   * WebSocket, what ws and Node's socket buffer hold (`bufferedAmount`, which grows when the reader
   * stops reading: the direct path and engine.io both write into it). Bytes the kernel has taken
   * are not counted: the kernel bounds those itself. Undefined when the fields are not there (the
   * probe warned once; slow readers are then left to the ping timeout).
   */
  bufferedBytes(connection: unknown): number | undefined {
    if (this.whyUncapped !== undefined) return undefined;
    const conn = connection as EngineConnection;
    const name = conn.transport?.name;
    if (!this.sendBufferProbed.has(name) && !this.probeSendBufferOn(conn)) return undefined;
    let bytes = name === 'websocket' ? conn.transport.socket!.bufferedAmount! : 0;
    for (const packet of conn.writeBuffer) bytes += payloadBytes(packet.data);
    return bytes;
  }

  /**
   * Closes a reader's transport at once, discarding what is queued for it: the reader's client
   * sees the connection drop (not a Socket.IO disconnect packet), reconnects and catches up by
   * `seq`. A WebSocket is terminated rather than closed: ws's orderly close would queue its close
   * frame behind the backlog and keep that backlog for 30 s waiting for an answer that a reader
   * who does not read never sends.
   */
  drop(connection: unknown): void {
    const conn = connection as EngineConnection;
    if (conn.transport?.name === 'websocket') conn.transport.socket?.terminate?.();
    conn.close(true);
  }

  /**
   * Lets `accept` see each message the cluster adapter receives from other nodes before it is
   * delivered, and drop it by returning false. `onMessage` is protected in ClusterAdapter's
   * typings, but it is the one place every stream message passes through, and the documented hook
   * subclasses call. Returns false (nothing installed) when the adapter does not have it.
   */
  interceptClusterMessages(adapter: object, accept: (message: ClusterMessage) => boolean): boolean {
    const cluster = adapter as { onMessage?: (message: ClusterMessage, offset?: string) => void };
    if (!this.Adapter || !(adapter instanceof this.Adapter) || typeof cluster.onMessage !== 'function') return false;
    const deliver = cluster.onMessage.bind(adapter);
    cluster.onMessage = (message, offset) => {
      if (accept(message)) deliver(message, offset);
    };
    return true;
  }

  /**
   * Lets a WebSocket reader's upgrade request be collected once the reader is connected. engine.io
   * keeps two things of the upgrade per connection that nothing reads afterwards: a `close`
   * listener on the TCP socket from the throwaway response object it builds for `io.engine.use`
   * middlewares (Liveline has none), which holds that response and through it the whole upgrade
   * request (IncomingMessage, headers, parser state); and a do-nothing `error` listener on the ws
   * WebSocket (`onUpgradeError`), left on readers that connected over WebSocket directly. Both are
   * found by what they are (an anonymous `() => this.emit("close")`, a function named
   * onUpgradeError); when the first reader does not have exactly them, the node warns once and
   * leaves every reader's listeners alone (the request then stays, as it did before). Returns
   * whether the listeners were released.
   */
  releaseUpgrade(websocket: unknown): boolean {
    if (this.upgradeLeftovers === false) return false;
    const candidate = websocket as Partial<UpgradedWebSocket> | undefined;
    const tcp = candidate?._socket;
    if (typeof candidate?.listeners !== 'function' || typeof tcp?.listeners !== 'function') return this.noLeftovers(['ws WebSocket._socket (the TCP socket)']);
    const ws = candidate as UpgradedWebSocket;
    const response = tcp.listeners('close').filter(isResponseCloseListener);
    const upgradeError = ws.listeners('error').filter((listener) => listener.name === 'onUpgradeError');
    if (this.upgradeLeftovers === undefined) {
      if (response.length !== 1) return this.noLeftovers([`engine.io WebSocketResponse close listener on the upgraded TCP socket (found ${response.length})`]);
      this.upgradeLeftovers = true;
    }
    for (const listener of response) tcp.removeListener('close', listener);
    for (const listener of upgradeError) ws.removeListener('error', listener);
    return response.length > 0;
  }

  private noLeftovers(missing: string[]): false {
    this.upgradeLeftovers = false;
    this.warn(missing, ['each WebSocket reader keeps its upgrade request in memory (about 1 KB)']);
    return false;
  }

  private probeFirstConnection(conn: EngineConnection): boolean {
    this.connectionProbed = true;
    const missing = probeConnection(conn, this.libraries.Sender);
    if (missing.length === 0) return true;
    this.whyOrdinary = missing.join('; ');
    this.warn(missing, ["changes go to readers through Socket.IO's ordinary path, framed per reader"]);
    return false;
  }

  private probeSendBufferOn(conn: EngineConnection): boolean {
    const missing = probeSendBuffer(conn);
    if (missing.length === 0) {
      this.sendBufferProbed.add(conn.transport.name);
      return true;
    }
    this.whyUncapped = missing.join('; ');
    this.warn(missing, [UNCAPPED]);
    return false;
  }

  private warn(missing: string[], consequences: string[]): void {
    this.log.warn({ missing }, `realtime: library internals differ from the versions pinned in package.json (missing: ${missing.join('; ')}); ${consequences.join('; ')}`);
  }
}
