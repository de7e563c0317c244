import type { Server as HttpServer } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Server } from 'socket.io';
import type { Config } from '../config.js';
import type { ProxyTrust } from '../domain/proxies.js';
import { instrumentPublisher, type Metrics } from '../metrics/metrics.js';
import { afterCommit, nullPublisher, type Publisher } from '../services/publisher.js';
import type { Change, ClientToServer, ServerToClient } from '../../contract/index.js';
import { SocketGuards, type GuardOptions } from './guards.js';
import { PrimaryClient } from './primary-client.js';
import { keepReadersLean, trimReader } from './reader-footprint.js';
import { RemotePostSource } from './remote-source.js';
import { roomOf } from './rooms.js';
import { ScaleOut } from './scale-out.js';
import type { RedisLibraries } from './redis-libraries.js';
import { SlowReaders } from './slow-readers.js';
import { holdUntilIdle } from './coalesce.js';
import type { PostSource } from './source.js';
import { Subscriptions, type ReaderServer } from './subscriptions.js';
import { DirectBroadcast } from './wire/direct-broadcast.js';
import { installedLibraries, Wire, type Libraries } from './wire/internals.js';
import { PreSerialized, preSerializedParser } from './wire/pre-serialized.js';
import { LiveChanges } from '../syndication/live-changes.js';
import type { StreamNode } from '../syndication/sse.js';

/**
 * One builder for every realtime node, the primary's Socket.IO server and a fan-out node's alike.
 *
 * The two roles used to be assembled in two places (app.ts and fanout.ts) and had drifted: the
 * fan-out nodes, which hold every reader in production, ran without the socket guards and
 * ignored TRUST_PROXY. Here both get the same Socket.IO options, guards (Origin, per-address cap,
 * event budget, 4 KiB messages, the per-reader send-buffer cap of slow-readers.ts), rooms
 * (rooms.ts), presence, metrics and Redis scale-out; the
 * roles differ only in where posts come from (SQLite or the primary over HTTP) and in that the
 * primary publishes. Its publisher never throws into the request that made the change: the change
 * is durable, so a failed live delivery is logged and counted, and readers catch up from the log.
 */

/** What a realtime node reads from the configuration: the one place to change when Config is regrouped. */
/** The socket events that carry participation rather than changes. */
export type ParticipationEvent = 'reactions' | 'polls';

export type NodeSettings = {
  guards: GuardOptions;
  /** SOCKET_MAX_BUFFERED_KB: unsent data one reader may have before it is dropped (0: no cap). */
  maxBufferedKb: number;
  trustProxy: ProxyTrust;
  redisUrl: string | undefined;
  primaryUrl: string | undefined;
};

export function nodeSettingsFrom(config: Config): NodeSettings {
  return {
    guards: {
      publicUrl: config.http.publicUrl,
      allowedOrigins: config.socket.allowedOrigins,
      trustProxy: config.http.trustProxy,
      maxConnectionsPerIp: config.socket.maxConnectionsPerIp,
      maxEventsPer10s: config.socket.maxEventsPer10s,
    },
    maxBufferedKb: config.socket.maxBufferedKb,
    trustProxy: config.http.trustProxy,
    redisUrl: config.scaleOut.redisUrl,
    primaryUrl: config.scaleOut.primaryUrl,
  };
}

type CommonOptions = {
  httpServer: HttpServer;
  config: Config;
  log: FastifyBaseLogger;
  metrics: Metrics;
  /** Compress WebSocket messages (off in production, as Socket.IO's default; tests turn it on). */
  perMessageDeflate?: boolean;
  /** The library classes the start-up probe inspects (tests pass altered ones). */
  libraries?: Libraries;
  /** The Redis client and adapter, when REDIS_URL is set (loadRedisLibraries): loaded only then. */
  redis?: RedisLibraries | undefined;
};

export type RealtimeNodeOptions = CommonOptions &
  (
    | {
        role: 'primary';
        /** SQLite. */
        source: PostSource;
        /** A post's lastSeq, published in the primary's beat so fan-out nodes can tell they are behind. */
        lastSeqOf?: (postId: number) => number | undefined;
      }
    | { role: 'fanout' }
  );

export type RealtimeNode = {
  readonly io: ReaderServer;
  /** Where services publish committed changes (the primary); it never throws. A fan-out node publishes nothing. */
  readonly publisher: Publisher;
  /**
   * Sends a participation event (issue 19: `reactions`) to a post's readers on every node: framed
   * once to this node's, through Redis to the others'. Not a change: no seq, no replay. The
   * primary only; a fan-out node's does nothing.
   */
  signal<E extends ParticipationEvent>(postId: number, event: E, payload: Parameters<ServerToClient[E]>[0]): void;
  /** Readers per post across every node, as presence last summed them (issue 19's insights sample it). */
  readers(): ReadonlyMap<number, number>;
  /** Whether changes are framed once (true) or go through Socket.IO's ordinary path, and why not. */
  readonly wire: { readonly fastPath: boolean; readonly reason: string | undefined };
  /** Server-Sent Events on this node: the same changes its sockets get (server/syndication/sse.ts). */
  readonly events: StreamNode;
  /** What /readyz reports for the realtime side of this node. */
  checks(): Record<string, boolean>;
  /**
   * Drops every reader connection so that they reconnect (to this server once restarted, or to
   * another node) and catch up, then leaves Redis; the HTTP server is Fastify's to close. Only the
   * transports are closed: a Socket.IO disconnect packet would tell clients NOT to reconnect.
   */
  close(): Promise<void>;
};

export function buildRealtimeNode(options: RealtimeNodeOptions): RealtimeNode {
  const { httpServer, config, role, log, metrics } = options;
  const settings = nodeSettingsFrom(config);
  if (role === 'fanout' && (!settings.redisUrl || !settings.primaryUrl)) throw new Error('A fan-out node needs REDIS_URL and PRIMARY_URL.');

  const guards = new SocketGuards(settings.guards, log, (reason) => metrics.handshakesRefused.inc({ reason }));
  const io: ReaderServer = new Server<ClientToServer, ServerToClient>(httpServer, {
    serveClient: false,
    // Replays are serialized once and shared by every reader who needs them.
    parser: preSerializedParser,
    // An accepted WebSocket handshake's 101 and engine.io's open packet leave in one write (coalesce.ts).
    allowRequest: (request, callback) =>
      guards.allowRequest(request, (error, success) => {
        if (success && request.headers.upgrade !== undefined) holdUntilIdle(request.socket);
        callback(error, success);
      }),
    // Readers only send small subscribe messages.
    maxHttpBufferSize: 4 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    perMessageDeflate: options.perMessageDeflate ?? false,
  });
  const wire = new Wire(log, { watchAdapter: role === 'fanout' }, options.libraries ?? installedLibraries);
  const slowReaders = new SlowReaders(settings.maxBufferedKb, wire, metrics, log);
  slowReaders.track(io);
  const broadcast = new DirectBroadcast(io.of('/'), io.encoder, wire, slowReaders.written);
  metrics.trackConnections(() => io.engine.clientsCount);
  // SSE streams get every change where this node's sockets get it.
  const live = new LiveChanges();
  metrics.trackFastPath(() => wire.fastPath);

  /**
   * A fan-out node's delivery of a change it got from the primary (through the stream or over
   * HTTP) to its own readers: framed once, like the primary's (the readers' send-buffer cap sees
   * these writes). Readers it could not write to were dropped to reconnect and catch up by seq.
   */
  const deliverLocally = (postId: number, change: Change): boolean => {
    try {
      broadcast.emit(roomOf(postId), 'change', change);
    } catch (error) {
      metrics.publishFailures.inc();
      log.error({ err: error, postId, seq: change.seq }, 'live delivery of a change from the primary failed for some readers');
    }
    return true;
  };
  // A fan-out node's posts come from the primary; the source delivers what it catches up over
  // HTTP to this node's readers only, and asks ScaleOut (built below) whether the stream flows.
  const remote =
    role === 'fanout'
      ? new RemotePostSource(
          new PrimaryClient(settings.primaryUrl!),
          (postId, change) => {
            deliverLocally(postId, change);
            live.deliver(postId, change.seq, () => JSON.stringify(change));
            metrics.delivered(change, 'http');
          },
          // Unwatched, the stream's changes never reach the feed: every join asks the primary.
          (): boolean => scaleOut.watching && scaleOut.streamFlowing(),
        )
      : undefined;
  const source = options.role === 'primary' ? options.source : remote!;

  const subscriptions = new Subscriptions(
    source,
    log,
    (socket, event, payload, shared) => void broadcast.emitTo(socket, event, payload, shared),
    (socket) => wire.hold(socket.conn),
  );
  guards.track(io);
  // After guards.track: it reads each connection's request, which this then lets go.
  keepReadersLean(io, wire);
  io.on('connection', (socket) => {
    trimReader(socket);
    guards.limitEvents(socket);
    subscriptions.serve(socket);
  });

  const scaleOut = new ScaleOut({
    io,
    role,
    redisUrl: settings.redisUrl,
    redis: options.redis,
    source,
    log,
    metrics,
    broadcast,
    wire,
    onStreamChange: (postId, change) => live.deliver(postId, change.seq, () => JSON.stringify(change)),
    ...(remote ? { remote, deliverLocally } : {}),
    ...(options.role === 'primary' && options.lastSeqOf ? { lastSeqOf: options.lastSeqOf } : {}),
  });

  // To this node's readers, framed once, from the JSON the change log stored.
  const local: Publisher = {
    publish: (logged) => {
      void broadcast.emit(roomOf(logged.postId), 'change', new PreSerialized(logged.json));
      live.deliver(logged.postId, logged.seq, logged.json);
    },
  };
  const publisher =
    role === 'primary' ? afterCommit(instrumentPublisher(scaleOut.publisher(local), metrics), log, () => metrics.publishFailures.inc()) : nullPublisher;

  const events: StreamNode = {
    source,
    live,
    admit: (request) => guards.admitStream(request),
    heartbeatMs: config.syndication.sseHeartbeatMs,
    maxBufferedBytes: settings.maxBufferedKb * 1024,
    open: new Set(),
  };
  metrics.trackStreams(() => events.open.size);

  return {
    io,
    publisher,
    signal(postId, event, payload) {
      if (role !== 'primary') return;
      try {
        broadcast.emit(roomOf(postId), event, payload);
      } finally {
        scaleOut.relay(postId, event, payload);
      }
    },
    readers: () => scaleOut.allReaders(),
    wire,
    events,
    checks: () => scaleOut.checks(),
    async close() {
      for (const stream of [...events.open]) stream.close();
      // Dropped at once (Wire.drop, as a reader that stopped reading is), not closed with a
      // WebSocket closing handshake each: the process could exit only once every client had
      // answered its close frame, and in a deploy with 10,000 readers that was most of a second of
      // the outage. Readers reconnect and catch up by seq either way; what was still queued for
      // them comes again in their replay.
      for (const socket of io.of('/').sockets.values()) wire.drop(socket.conn);
      io.engine.close();
      await scaleOut.close();
    },
  };
}
