import type { Change } from '../domain/types.js';
import type { Stores } from '../services/context.js';

/** At most this many changes are replayed over the socket; beyond, the client pages over HTTP. */
export const SOCKET_REPLAY_LIMIT = 100;
/** …and about this many bytes: a replay is cheap for the server whatever `since` a client sends. */
export const SOCKET_REPLAY_MAX_BYTES = 128 * 1024;

/**
 * Where a node finds posts and their recent changes when a reader subscribes. The primary reads
 * SQLite; a fan-out node, which has no database, asks the primary (see remote-source.ts).
 */
export interface PostSource {
  /** The post's id, or undefined when no post has this slug. */
  find(slug: string): number | undefined | Promise<number | undefined>;
  /**
   * Sends the changes after `since` with `send`, then calls `join`, in one synchronous step after
   * any awaiting: a change delivered to the room in between would otherwise be missed or doubled.
   * Returns the post's lastSeq as the reader should see it.
   */
  attach(slug: string, postId: number, since: number | undefined, send: (change: Change) => void, join: () => void): number | Promise<number>;
  /** The slug of a post this node serves (for presence events). */
  slugOf(postId: number): string | undefined;
}

/** The primary: SQLite answers synchronously, so reading and joining cannot be interleaved. */
export class StorePostSource implements PostSource {
  constructor(private readonly stores: Stores) {}

  find(slug: string): number | undefined {
    // A reader page opened before a slug rename keeps following its post.
    return this.stores.posts.bySlugOrFormer(slug)?.id;
  }

  attach(_slug: string, postId: number, since: number | undefined, send: (change: Change) => void, join: () => void): number {
    const lastSeq = this.stores.posts.byId(postId)?.lastSeq ?? 0;
    if (since !== undefined && since < lastSeq) {
      for (const change of this.stores.changes.since(postId, since, SOCKET_REPLAY_LIMIT, SOCKET_REPLAY_MAX_BYTES)) send(change);
    }
    join();
    return lastSeq;
  }

  slugOf(postId: number): string | undefined {
    return this.stores.posts.byId(postId)?.slug;
  }
}
