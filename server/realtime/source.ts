import type { Stores } from '../services/context.js';
import type { SerializedChange } from '../store/changes.js';
import { PreSerialized } from './wire/pre-serialized.js';
import type { Change } from '../../contract/index.js';

/** At most this many changes are replayed over the socket; beyond, the client pages over HTTP. */
export const SOCKET_REPLAY_LIMIT = 100;
/** …and about this many bytes: a replay is cheap for the server whatever `since` a client sends. */
export const SOCKET_REPLAY_MAX_BYTES = 128 * 1024;

/**
 * The changes a subscribing reader missed, in seq order, kept as JSON. After a restart or a
 * network blip thousands of readers ask for the same replay within seconds: it is serialized
 * once and sent to each of them as it is (see wire/pre-serialized.ts).
 */
export class Replay {
  static readonly empty = new Replay([]);
  private batched: PreSerialized | undefined;
  private single: PreSerialized[] | undefined;

  constructor(readonly changes: readonly SerializedChange[]) {}

  static of(changes: readonly Change[]): Replay {
    return changes.length === 0 ? Replay.empty : new Replay(changes.map((change) => ({ seq: change.seq, json: JSON.stringify(change) })));
  }

  get seqs(): number[] {
    return this.changes.map((change) => change.seq);
  }

  /** The whole replay as one JSON array (the `changes` event). */
  batch(): PreSerialized {
    return (this.batched ??= new PreSerialized(`[${this.changes.map((change) => change.json).join(',')}]`));
  }

  /** One argument per change (the `change` event, for clients that did not ask for a batch). */
  each(): readonly PreSerialized[] {
    return (this.single ??= this.changes.map((change) => new PreSerialized(change.json)));
  }
}

/** The replays built lately, by a key that pins down their content; least recently used go first. */
export class ReplayCache {
  private readonly entries = new Map<string, Replay>();
  constructor(private readonly capacity = 64) {}

  get(key: string, build: () => Replay): Replay {
    let replay = this.entries.get(key);
    if (replay) this.entries.delete(key);
    else replay = build();
    this.entries.set(key, replay);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return replay;
  }
}

/**
 * Where a node finds posts and their recent changes when a reader subscribes. The primary reads
 * SQLite; a fan-out node, which has no database, asks the primary (see remote-source.ts).
 */
export interface PostSource {
  /** The post's id, or undefined when no post has this slug. */
  find(slug: string): number | undefined | Promise<number | undefined>;
  /**
   * Sends the changes after `since` with `send` (once, possibly empty), then calls `join`, in one
   * synchronous step after any awaiting: a change delivered to the room in between would
   * otherwise be missed or doubled. Returns the post's lastSeq as the reader should see it.
   */
  attach(slug: string, postId: number, since: number | undefined, send: (replay: Replay) => void, join: () => void): number | Promise<number>;
  /** The slug of a post this node serves (for presence events). */
  slugOf(postId: number): string | undefined;
}

/** The primary: SQLite answers synchronously, so reading and joining cannot be interleaved. */
export class StorePostSource implements PostSource {
  /**
   * Keyed by (post, since, lastSeq): the log is append-only and post ids are never reused, so a
   * replay for a key never changes. A new change moves lastSeq and with it the key.
   */
  private readonly replays = new ReplayCache();

  constructor(private readonly stores: Stores) {}

  find(slug: string): number | undefined {
    // A reader page opened before a slug rename keeps following its post.
    return this.stores.posts.idBySlugOrFormer(slug);
  }

  attach(_slug: string, postId: number, since: number | undefined, send: (replay: Replay) => void, join: () => void): number {
    const lastSeq = this.stores.posts.lastSeq(postId) ?? 0;
    if (since !== undefined && since < lastSeq) {
      send(
        this.replays.get(`${postId}:${since}:${lastSeq}`, () =>
          new Replay(this.stores.changes.serializedSince(postId, since, SOCKET_REPLAY_LIMIT, SOCKET_REPLAY_MAX_BYTES)),
        ),
      );
    } else {
      send(Replay.empty);
    }
    join();
    return lastSeq;
  }

  slugOf(postId: number): string | undefined {
    return this.stores.posts.byId(postId)?.slug;
  }
}
