import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Publisher } from '../services/publisher.js';
import type { Change } from '../../contract/index.js';

/**
 * Every Prometheus metric of one node, on its own registry (tests build several apps in one
 * process). Default Node metrics include `nodejs_eventloop_lag_seconds`.
 */
export class Metrics {
  readonly registry = new Registry();

  private countConnections: () => number = () => 0;
  readonly connectedReaders: Gauge = new Gauge({
    name: 'liveline_connected_readers',
    help: 'Socket.IO connections held by this node',
    registers: [this.registry],
    collect: (): void => this.connectedReaders.set(this.countConnections()),
  });
  private countStreams: () => number = () => 0;
  readonly sseStreams: Gauge = new Gauge({
    name: 'liveline_sse_streams',
    help: 'Server-Sent Events streams open on this node',
    registers: [this.registry],
    collect: (): void => this.sseStreams.set(this.countStreams()),
  });
  readonly webhookAttempts = new Counter({ name: 'liveline_webhook_attempts_total', help: 'Webhook delivery attempts by the primary, by result (delivered: a 2xx; failed: retried later)', labelNames: ['result'] as const, registers: [this.registry] });
  readonly postReaders = new Gauge({ name: 'liveline_post_readers', help: 'Readers of a post summed across all nodes (presence)', labelNames: ['post'] as const, registers: [this.registry] });
  readonly changesPublished = new Counter({ name: 'liveline_changes_published_total', help: 'Committed changes published by the primary', labelNames: ['type'] as const, registers: [this.registry] });
  readonly publishFailures = new Counter({
    name: 'liveline_publish_failures_total',
    help: 'Committed changes whose live delivery failed on the primary (saved all the same; readers catch up from the change log)',
    registers: [this.registry],
  });
  private fastPath: () => boolean = () => true;
  readonly wireFastPath: Gauge = new Gauge({
    name: 'liveline_wire_fast_path',
    help: '1 while changes are framed once and written straight to WebSocket readers, 0 when the start-up probe chose the ordinary Socket.IO path',
    registers: [this.registry],
    collect: (): void => this.wireFastPath.set(this.fastPath() ? 1 : 0),
  });
  readonly slowReadersDropped = new Counter({
    name: 'liveline_slow_readers_dropped_total',
    help: 'Readers whose unsent data grew beyond SOCKET_MAX_BUFFERED_KB (they stopped reading); their transport was closed so that they reconnect and catch up',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  readonly handshakesRefused = new Counter({
    name: 'liveline_socket_handshakes_refused_total',
    help: 'Socket.IO handshakes refused by the guards: a foreign Origin, or an address over SOCKET_MAX_CONNECTIONS_PER_IP (those readers follow the change log over HTTP)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly changesDelivered = new Counter({ name: 'liveline_changes_delivered_total', help: 'Changes this node delivered to its readers, by path', labelNames: ['via'] as const, registers: [this.registry] });
  readonly deliveryDuration = new Histogram({
    name: 'liveline_fanout_delivery_duration_seconds',
    help: 'From commit on the primary to delivery to the readers of this node',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'liveline_http_request_duration_seconds',
    help: 'HTTP request durations by route',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly sqliteWriteDuration = new Histogram({
    name: 'liveline_sqlite_write_duration_seconds',
    help: 'Duration of SQLite write transactions (commit included)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly redisUp = new Gauge({ name: 'liveline_redis_up', help: '1 when this node is connected to Redis, 0 when not, absent without REDIS_URL', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Where liveline_connected_readers reads its value at each scrape. */
  trackConnections(count: () => number): void {
    this.countConnections = count;
  }

  /** Where liveline_sse_streams reads its value at each scrape. */
  trackStreams(count: () => number): void {
    this.countStreams = count;
  }

  /** Where liveline_wire_fast_path reads its value at each scrape. */
  trackFastPath(on: () => boolean): void {
    this.fastPath = on;
  }

  /** Records a delivery; the change's own commit timestamp marks the start. */
  delivered(change: Change, via: 'local' | 'stream' | 'http'): void {
    this.changesDelivered.inc({ via });
    const committedAt = Date.parse(committedTime(change));
    if (Number.isFinite(committedAt)) this.deliveryDuration.observe(Math.max(0, Date.now() - committedAt) / 1000);
  }
}

function committedTime(change: Change): string {
  switch (change.type) {
    case 'entry.created':
    case 'entry.updated':
      return change.entry.updatedAt;
    case 'entry.deleted':
      return change.entry.deletedAt;
    case 'post.updated':
      return change.post.updatedAt;
  }
}

/** Counts and times each change the primary publishes (its realtime node delivers it; see realtime/node.ts). */
export function instrumentPublisher(publisher: Publisher, metrics: Metrics): Publisher {
  return {
    publish(logged) {
      publisher.publish(logged);
      metrics.changesPublished.inc({ type: logged.change.type });
      metrics.delivered(logged.change, 'local');
    },
  };
}
