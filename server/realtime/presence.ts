import type { Server } from 'socket.io';
import type { Metrics } from '../metrics/metrics.js';
import type { RedisClient } from './redis.js';
import { postIdOfDeskRoom, postIdOfRoom, roomOf } from './rooms.js';
import type { DirectBroadcast } from './wire/direct-broadcast.js';

const NODES_KEY = 'liveline:nodes';

export type Counts = Map<number, number>;

/**
 * Readers per post, summed across nodes. Each node counts its own from the adapter's local rooms
 * (no fetchSockets round trip), writes them under its own Redis key that expires (a dead node
 * stops counting by itself), and sums every node's. Readers hear `presence` when their post's
 * count changes.
 */
export class Presence {
  private totals: Counts = new Map();
  private readonly shown: Counts = new Map();

  constructor(
    private readonly io: Server,
    private readonly slugOf: (postId: number) => string | undefined,
    private readonly metrics: Metrics,
    /** This node's delivery to its own readers (presence is counted and sent per node). */
    private readonly broadcast: DirectBroadcast,
  ) {}

  /** Per-post reader counts on this node: the post's room without its desk (newsroom) sockets. */
  local(): Counts {
    const counts: Counts = new Map();
    const desks: Counts = new Map();
    for (const [room, members] of this.io.of('/').adapter.rooms) {
      const postId = postIdOfRoom(room);
      if (postId !== undefined && members.size > 0) counts.set(postId, members.size);
      const deskOf = postIdOfDeskRoom(room);
      if (deskOf !== undefined) desks.set(deskOf, members.size);
    }
    // A post followed only from the newsroom keeps its entry (0 readers), so its desk hears the count.
    for (const [postId, desk] of desks) {
      const members = counts.get(postId);
      if (members !== undefined) counts.set(postId, Math.max(0, members - desk));
    }
    return counts;
  }

  /** Readers of every post someone reads, across all nodes, as last summed. */
  all(): ReadonlyMap<number, number> {
    return this.totals;
  }

  /** Readers of a post across all nodes, as last summed. */
  readers(postId: number): number {
    return this.totals.get(postId) ?? 0;
  }

  /** Publishes this node's counts (expiring after `ttlMs`) and returns every live node's, summed. */
  static async exchange(client: RedisClient, nodeId: string, local: Counts, ttlMs: number): Promise<Counts> {
    const key = (node: string) => `liveline:presence:${node}`;
    await client.multi().set(key(nodeId), JSON.stringify([...local]), { expiration: { type: 'PX', value: ttlMs } }).sAdd(NODES_KEY, nodeId).exec();
    const nodes = await client.sMembers(NODES_KEY);
    const values = nodes.length ? await client.mGet(nodes.map(key)) : [];
    const totals: Counts = new Map();
    const gone: string[] = [];
    values.forEach((value, i) => {
      if (value === null) return void gone.push(nodes[i]!);
      for (const [postId, readers] of JSON.parse(value) as [number, number][]) totals.set(postId, (totals.get(postId) ?? 0) + readers);
    });
    if (gone.length) await client.sRem(NODES_KEY, gone);
    return totals;
  }

  /** Takes the new sums: updates the metric and tells the readers of each post whose count changed. */
  update(totals: Counts, local: Counts): void {
    this.totals = totals;
    this.metrics.postReaders.reset();
    for (const [postId, readers] of totals) {
      const slug = this.slugOf(postId);
      if (slug) this.metrics.postReaders.set({ post: slug }, readers);
    }
    for (const postId of this.shown.keys()) if (!local.has(postId)) this.shown.delete(postId);
    for (const postId of local.keys()) {
      const readers = totals.get(postId) ?? local.get(postId)!;
      const slug = this.slugOf(postId);
      if (!slug || this.shown.get(postId) === readers) continue;
      this.shown.set(postId, readers);
      // Volatile: a count that cannot be sent now is stale by the next one anyway. In slices: a
      // count must never hold up an entry.
      void this.broadcast.emitVolatile(roomOf(postId), 'presence', { slug, readers });
    }
  }
}
