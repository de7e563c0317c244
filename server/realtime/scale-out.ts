import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Server } from 'socket.io';
import type { Metrics } from '../metrics/metrics.js';
import type { Publisher } from '../services/publisher.js';
import { useRedisStreamsAdapter } from './adapter.js';
import type { RedisLibraries } from './redis-libraries.js';
import { RedisLink } from './redis.js';
import { Presence, type Counts } from './presence.js';
import type { RemotePostSource } from './remote-source.js';
import { nodeRoom, roomOf } from './rooms.js';
import type { PostSource } from './source.js';
import type { DirectBroadcast } from './wire/direct-broadcast.js';
import type { Wire } from './wire/internals.js';
import type { Change } from '../../contract/index.js';

/** How often each node publishes its reader counts and looks at the others'. */
export const BEAT_MS = 2000;
/** A node whose counts are older than this is gone; its readers no longer count. */
const BEAT_TTL_MS = 3 * BEAT_MS;
/** A beat's Redis round trips taking longer than this mean Redis hangs: treated as down. */
const EXCHANGE_TIMEOUT_MS = 1500;
const PRIMARY_KEY = 'liveline:primary';

export type ScaleOutOptions = {
  io: Server;
  role: 'primary' | 'fanout';
  redisUrl: string | undefined;
  /** Loaded when `redisUrl` is set (loadRedisLibraries). */
  redis: RedisLibraries | undefined;
  source: PostSource;
  log: FastifyBaseLogger;
  metrics: Metrics;
  /** This node's delivery to its own readers (presence counts). */
  broadcast: DirectBroadcast;
  /** The probed library internals (the adapter hook fan-out nodes use). */
  wire: Wire;
  /** Fan-out nodes: their view of the primary's posts, caught up over HTTP when the stream stalls. */
  remote?: RemotePostSource;
  /** Fan-out nodes: told of each change from the stream that is new to this node (its SSE streams). */
  onStreamChange?: (postId: number, change: Change) => void;
  /** Fan-out nodes: delivers a stream change to this node's readers (framed once); false leaves it to the adapter. */
  deliverLocally?: (postId: number, change: Change) => boolean;
  /** The primary: a post's lastSeq, published in its beat so fan-out nodes can tell they are behind. */
  lastSeqOf?: (postId: number) => number | undefined;
};

/**
 * A node's place in the cluster: the Redis streams adapter (when REDIS_URL is set), presence
 * (reader counts summed across nodes through short-lived Redis keys), and, on fan-out nodes, the
 * fallback to HTTP catch-up from the primary when changes stop flowing through Redis.
 *
 * Every BEAT_MS each node writes its per-post reader counts under its own expiring key and sums
 * everyone's; the primary also writes the lastSeq of every post someone reads. A fan-out node that
 * sees a newer lastSeq than it delivered, or no fresh primary beat at all, fetches the missing
 * changes from the primary and delivers them itself: one request per post per node, not per reader.
 */
export class ScaleOut {
  private readonly link: RedisLink | undefined;
  private readonly nodeId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly timer: NodeJS.Timeout;
  private readonly presence: Presence;
  /** Fan-out: the primary's last beat; undefined when none is fresh (primary or Redis away). */
  private primarySeqs: Map<number, number> | undefined;
  /** Fan-out: whether the last beat found the stream flowing (logged when it changes). */
  private wasFlowing: boolean | undefined;
  /** False while Redis accepts connections but does not answer in time. */
  private responsive = true;
  private beating = false;
  /** False when a fan-out node could not watch the stream's changes (see adapter.ts). */
  readonly watching: boolean = true;

  constructor(private readonly options: ScaleOutOptions) {
    const { io, redisUrl, redis, remote, metrics, log, wire } = options;
    this.presence = new Presence(io, (postId) => options.source.slugOf(postId), metrics, options.broadcast);
    if (redisUrl) {
      if (!redis) throw new Error('REDIS_URL is set but the Redis libraries were not loaded (loadRedisLibraries)');
      this.link = new RedisLink(redisUrl, log, redis);
      metrics.redisUp.set(0);
      this.link.onChange((up) => {
        metrics.redisUp.set(up ? 1 : 0);
        if (!up) this.primarySeqs = undefined;
      });
      this.watching = useRedisStreamsAdapter(
        redis,
        io,
        this.link.client,
        wire,
        remote &&
          ((postId, change) => {
            const fresh = remote.observe(postId, change);
            if (fresh) {
              metrics.delivered(change, 'stream');
              options.onStreamChange?.(postId, change);
            }
            return fresh;
          }),
        // Fan-out nodes frame each stream change once, as the primary does for its own readers.
        remote && options.deliverLocally,
      );
      this.link.start();
    }
    this.timer = setInterval(() => void this.beat(), BEAT_MS);
    this.timer.unref();
  }

  /** Fan-out: true while changes flow from the primary through Redis. */
  streamFlowing(): boolean {
    return this.redisUp() && this.primarySeqs !== undefined;
  }

  /**
   * The primary's publisher. Without Redis, the local one. With Redis, the primary's readers get
   * the change at once from the local publisher, never waiting on Redis (which may be down or
   * hanging), and every other node gets it through the stream: one emit excluding this node's
   * sockets (all in its node room). Each half runs even when the other throws.
   */
  publisher(local: Publisher): Publisher {
    if (!this.link) return local;
    const { io } = this.options;
    const self = nodeRoom(this.nodeId);
    io.on('connection', (socket) => void socket.join(self));
    return {
      publish(logged) {
        let failure: { error: unknown } | undefined;
        try {
          local.publish(logged);
        } catch (error) {
          failure = { error };
        }
        // The Redis adapter encodes packets itself (msgpack): it gets the change as an object.
        io.to(roomOf(logged.postId)).except(self).emit('change', logged.change);
        if (failure) throw failure.error;
      },
    };
  }

  /** The primary: an event for a post's readers on the other nodes (they get it through the Redis adapter). */
  relay(postId: number, event: string, payload: unknown): void {
    if (!this.link) return;
    this.options.io.to(roomOf(postId)).except(nodeRoom(this.nodeId)).emit(event, payload);
  }

  /** What /readyz reports for the cluster side of this node. */
  checks(): Record<string, boolean> {
    if (!this.link) return {};
    const checks: Record<string, boolean> = { redis: this.redisUp() };
    if (this.options.role === 'fanout') checks.primaryStream = this.streamFlowing();
    return checks;
  }

  /** Readers per post across all nodes, as last summed (insights sample it). */
  allReaders(): ReadonlyMap<number, number> {
    return this.presence.all();
  }

  /** Readers of a post across all nodes, as last summed. */
  readers(postId: number): number {
    return this.presence.readers(postId);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    if (!this.link) return;
    await this.options.io.of('/').adapter.close();
    await this.link.close();
  }

  private redisUp(): boolean {
    return Boolean(this.link?.isUp) && this.responsive;
  }

  /** One beat: publish and sum presence, tell readers, catch up stalled posts. Never throws. */
  private async beat(): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    try {
      await this.beatOnce();
    } finally {
      this.beating = false;
    }
  }

  private async beatOnce(): Promise<void> {
    const { log } = this.options;
    const local = this.presence.local();
    let totals = local;
    if (this.link?.isUp) {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`Redis did not answer within ${EXCHANGE_TIMEOUT_MS} ms`)), EXCHANGE_TIMEOUT_MS);
      });
      try {
        totals = await Promise.race([this.exchange(local), hung]);
        if (!this.responsive) log.info('Redis answers again');
        this.responsive = true;
      } catch (error) {
        if (this.responsive) log.error({ err: error }, 'Redis does not answer: counting this node only; fan-out readers catch up over HTTP');
        this.responsive = false;
        this.primarySeqs = undefined;
      } finally {
        clearTimeout(timer);
      }
    }
    this.presence.update(totals, local);
    this.catchUp(local);
  }

  /** Presence, plus the primary's beat: it writes lastSeqs, fan-out nodes read them. */
  private async exchange(local: Counts): Promise<Counts> {
    const client = this.link!.client;
    const totals = await Presence.exchange(client, this.nodeId, local, BEAT_TTL_MS);
    if (this.options.role === 'primary') {
      const seqs = [...totals.keys()].map((postId) => [postId, this.options.lastSeqOf?.(postId) ?? 0]);
      await client.set(PRIMARY_KEY, JSON.stringify(seqs), { expiration: { type: 'PX', value: BEAT_TTL_MS } });
    } else {
      const beat = await client.get(PRIMARY_KEY);
      this.primarySeqs = beat === null ? undefined : new Map(JSON.parse(beat) as [number, number][]);
    }
    return totals;
  }

  /** Fan-out: fetch from the primary what the stream did not bring, for posts read here. */
  private catchUp(local: Counts): void {
    const { remote, log } = this.options;
    if (!remote) return;
    const flowing = this.streamFlowing();
    if (flowing !== this.wasFlowing && this.wasFlowing !== undefined) {
      if (flowing) log.info('changes flow from the primary through Redis again');
      else log.warn('changes stopped flowing from the primary through Redis; catching readers up from the primary over HTTP');
    }
    this.wasFlowing = flowing;
    remote.sweep(local.keys());
    for (const [postId, delivered] of remote.known()) {
      if (!local.has(postId)) continue;
      if (flowing && (this.primarySeqs?.get(postId) ?? 0) <= delivered) continue;
      remote.refresh(postId).catch((error: unknown) => log.warn({ err: error, postId }, 'catch-up from the primary failed; retrying at the next beat'));
    }
  }
}
