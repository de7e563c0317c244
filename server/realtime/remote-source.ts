import { PostFeed } from './feed.js';
import type { PrimaryClient } from './primary-client.js';
import { Replay, ReplayCache, SOCKET_REPLAY_LIMIT, type PostSource } from './source.js';
import type { Change } from '../../contract/index.js';

/** A post created after a miss becomes subscribable on fan-out nodes within this delay. */
const MISSING_TTL_MS = 2000;
const MISSING_CACHE_SIZE = 10_000;
/** A post nobody on this node has read for this long gives its memory back. */
const IDLE_FEED_MS = 10 * 60 * 1000;

/** Delivers a change to the readers this node holds for a post (never to other nodes). */
export type LocalDelivery = (postId: number, change: Change) => void;

/**
 * A fan-out node's view of posts: it has no database, so it looks posts up on the primary once,
 * keeps each post's recent changes from the stream (PostFeed), and asks the primary over HTTP
 * only when that is not enough: a new post, a reader far behind, or a stalled stream.
 */
export class RemotePostSource implements PostSource {
  private readonly ids = new Map<string, number>();
  /** Slugs the primary did not know, until when: random slugs must not each cost the primary a request. */
  private readonly missing = new Map<string, number>();
  private readonly feeds = new Map<number, PostFeed>();
  private readonly refreshing = new Map<number, Promise<void>>();
  private readonly lastRead = new Map<number, number>();
  /** Replays served from memory, by (post, since, hi): what a feed holds up to `hi` never changes. */
  private readonly replays = new ReplayCache();

  constructor(
    private readonly primary: PrimaryClient,
    private readonly deliver: LocalDelivery,
    /** True while changes flow from the primary through Redis; otherwise every join asks the primary. */
    private readonly streamFlowing: () => boolean,
  ) {}

  async find(slug: string): Promise<number | undefined> {
    const known = this.ids.get(slug);
    if (known !== undefined) return known;
    if ((this.missing.get(slug) ?? 0) > Date.now()) return undefined;
    const id = await this.primary.postId(slug);
    // Slugs never change, so a found id is cached for the life of the process.
    if (id !== undefined) this.ids.set(slug, id);
    else {
      if (this.missing.size >= MISSING_CACHE_SIZE) this.missing.clear();
      this.missing.set(slug, Date.now() + MISSING_TTL_MS);
    }
    return id;
  }

  slugOf(postId: number): string | undefined {
    return this.feeds.get(postId)?.slug;
  }

  /** Posts this node holds a feed for, with the highest seq it delivered. */
  known(): Map<number, number> {
    return new Map([...this.feeds].map(([id, feed]) => [id, feed.hi]));
  }

  /** Forgets the feeds of posts nobody here has read for a while; `reading` are the posts read now. */
  sweep(reading: Iterable<number>, now = Date.now()): void {
    for (const postId of reading) this.lastRead.set(postId, now);
    for (const postId of this.feeds.keys()) {
      const last = this.lastRead.get(postId);
      if (last === undefined) this.lastRead.set(postId, now);
      else if (now - last > IDLE_FEED_MS && !this.refreshing.has(postId)) {
        this.feeds.delete(postId);
        this.lastRead.delete(postId);
      }
    }
  }

  /** A change from the stream: false when this node already delivered it (after an HTTP catch-up). */
  observe(postId: number, change: Change): boolean {
    const feed = this.feeds.get(postId);
    // A post that was not public a moment ago (a draft gone live: the gate lets its changes into
    // the stream only now) may sit among the misses; its readers, sent by the alert, arrive now.
    if (!feed && change.type === 'post.updated') this.missing.delete(change.post.slug);
    // No feed: no reader here has subscribed yet, so the adapter's delivery reaches nobody anyway.
    return feed ? feed.record(change) : true;
  }

  async attach(slug: string, postId: number, since: number | undefined, send: (replay: Replay) => void, join: () => void): Promise<number> {
    let feed = this.feeds.get(postId);
    if (feed?.warm && this.streamFlowing()) {
      const held = since === undefined ? [] : feed.after(since);
      if (held) {
        send(held.length === 0 ? Replay.empty : this.replays.get(`${postId}:${since}:${feed.hi}`, () => Replay.of(held)));
        join();
        return feed.hi;
      }
    }
    const from = since ?? feed?.hi ?? 0;
    // A brand-new reader of a post new to this node only needs lastSeq, not the log's first page.
    const limit = since === undefined && !feed ? 1 : SOCKET_REPLAY_LIMIT;
    // Created before asking, so that what the stream brings meanwhile is kept for this reader.
    if (!feed) this.feeds.set(postId, new PostFeed(slug, from));
    const page = await this.primary.changes(slug, from, limit);
    if (!page) throw new Error(`the primary no longer knows the post "${slug}"`);
    feed = this.absorb(postId, slug, from, page.changes, page.lastSeq);
    // From here to join() nothing awaits: no change can reach the room in between.
    const after = since ?? page.lastSeq;
    const replay = new Map<number, Change>();
    for (const change of page.changes) if (change.seq > after) replay.set(change.seq, change);
    // Changes the stream delivered to the room while the primary answered: this reader was not in it yet.
    for (const change of feed.newerThan(after)) replay.set(change.seq, change);
    const ordered = [...replay.values()].sort((a, b) => a.seq - b.seq);
    send(Replay.of(ordered));
    join();
    return Math.max(page.lastSeq, ordered.at(-1)?.seq ?? 0);
  }

  /** Catches a post up from the primary over HTTP (stream stalled or behind); one request per post at a time. */
  refresh(postId: number): Promise<void> {
    const feed = this.feeds.get(postId);
    if (!feed) return Promise.resolve();
    const pending = this.refreshing.get(postId);
    if (pending) return pending;
    const run = this.primary
      .changes(feed.slug, feed.hi, SOCKET_REPLAY_LIMIT)
      .then((page) => {
        if (page) this.absorb(postId, feed.slug, feed.hi, page.changes, page.lastSeq);
      })
      .finally(() => this.refreshing.delete(postId));
    this.refreshing.set(postId, run);
    return run;
  }

  /** Records changes fetched from the primary and delivers the ones this node had not delivered yet. */
  private absorb(postId: number, slug: string, from: number, changes: Change[], lastSeq: number): PostFeed {
    let feed = this.feeds.get(postId);
    if (!feed) {
      feed = new PostFeed(slug, from);
      this.feeds.set(postId, feed);
    }
    for (const change of changes) if (feed.record(change)) this.deliver(postId, change);
    if (changes.length < SOCKET_REPLAY_LIMIT || changes.at(-1)?.seq === lastSeq) feed.fastForward(lastSeq);
    feed.warm = true;
    return feed;
  }
}
