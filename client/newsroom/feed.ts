import type { Change, Entry, Post } from '../../contract/index.js';
import { entriesBefore, latest } from '../api-client.js';
import { HttpError } from '../http.js';
import { LiveSync } from '../live-sync.js';

/**
 * The composer's live timeline: the same stream readers get, through the same LiveSync, so
 * co-authors' entries appear exactly once.
 */
export type FeedEvents = {
  /** One entry from the live stream (new, edited, restored). */
  entry(entry: Entry): void;
  /** A page loaded at once, oldest first (the latest entries, or an earlier page): one batch on the desk. */
  page(entries: Entry[]): void;
  /** Where older entries start (null: there are none); for the desk's "Load earlier entries". */
  older(cursor: string | null): void;
  deleted(id: number): void;
  post(post: Post): void;
  connection(state: string): void;
};

const RETRY_MS = [500, 1000, 2000, 5000];

export class Feed {
  private lastSeq = 0;

  constructor(
    private readonly slug: string,
    private readonly on: FeedEvents,
  ) {}

  async start(): Promise<void> {
    const post = await this.loadLatest();
    // The readers' socket knows no draft post (issue 17): its desk follows over the newsroom socket,
    // and keeps doing so once the post is public.
    const newsroom = post.status === 'draft';
    new LiveSync({ slug: this.slug, lastSeq: this.lastSeq, desk: true, newsroom, apply: (change) => this.apply(change), connection: (state) => this.on.connection(state) });
  }

  private async loadLatest(): Promise<Post> {
    for (let attempt = 0; ; attempt++) {
      try {
        const page = await latest(this.slug);
        this.lastSeq = page.lastSeq;
        this.on.post(page.post);
        this.on.page(page.entries);
        this.on.older(page.nextCursor);
        return page.post;
      } catch {
        this.on.connection('Offline');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    }
  }

  /** Loads the `limit` entries before `cursor` as one page; live changes keep applying to them as usual. */
  async loadOlder(cursor: string, limit = 50): Promise<void> {
    const page = await entriesBefore(this.slug, cursor, limit).catch((error: unknown) => {
      throw error instanceof HttpError ? new Error(`Could not load earlier entries (${error.status})`) : error;
    });
    this.on.page(page.entries);
    this.on.older(page.nextCursor);
  }

  private apply(change: Change): void {
    if (change.type === 'entry.deleted') this.on.deleted(change.entry.id);
    else if (change.type === 'post.updated') this.on.post(change.post);
    else this.on.entry(change.entry);
  }
}
