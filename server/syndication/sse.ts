import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveChange, LiveChanges } from './live-changes.js';

/**
 * One Server-Sent Events stream (`GET /api/posts/:slug/events`): the post's public change log,
 * the same rows `/changes` serves (`id:` = seq, `event:` = the change's type, `data:` = the row's
 * JSON), replayed from the client's `Last-Event-ID` and then live, with no gap and no double.
 *
 * How that holds without a race (the socket replay reads and joins in one synchronous step; a
 * stream that pages a long history cannot, so it orders by seq instead):
 * 1. the stream starts listening to the node's live changes first, holding them back;
 * 2. it pages the log from its last sent seq through the node's PostSource (SQLite on the
 *    primary; on a fan-out node its feed, else the primary), as many pages as it takes;
 * 3. then it releases what it held. Every change committed after step 1 is held, every earlier one
 *    is in the log, so together they cover everything; each frame goes out only when its seq is
 *    exactly the last sent + 1, so overlaps are dropped and a hole (a change lost on its way to a
 *    fan-out node) sends the stream back to step 2 from where it stopped.
 * Retractions come for free: the log's earlier rows of a deleted entry are tombstones, and the
 * deletion itself arrives as `entry.deleted`, so a follower deletes it too.
 *
 * A stream that stops reading is closed once the node holds more than `maxBufferedBytes` unsent
 * for it (as slow-readers.ts does for sockets); its client reconnects with Last-Event-ID.
 */

/** The slice of a realtime node's PostSource the stream needs (server/realtime/source.ts). */
export type StreamSource = {
  attach(
    slug: string,
    postId: number,
    since: number | undefined,
    send: (replay: { readonly changes: readonly LiveChange[] }) => void,
    join: () => void,
  ): number | Promise<number>;
};

export type StreamOptions = {
  slug: string;
  postId: number;
  /** The last seq the client has (Last-Event-ID or ?since=); undefined: from now on. */
  since: number | undefined;
  source: StreamSource;
  live: LiveChanges;
  response: ServerResponse;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** How long a client waits before reconnecting (the `retry:` field). */
  retryMs?: number;
  onError?: (error: unknown) => void;
};

/** The event name is the change's type, read from the row's JSON (`{"seq":N,"type":"…",…}`). */
const TYPE = /^\{"seq":\d+,"type":"([a-z.]+)"/;

export function frameOf(change: LiveChange): string {
  const type = TYPE.exec(change.json)?.[1] ?? (JSON.parse(change.json) as { type: string }).type;
  // JSON.stringify never writes a raw line break, so the row fits one data: line.
  return `id: ${change.seq}\nevent: ${type}\ndata: ${change.json}\n\n`;
}

export class ChangeStream {
  private lastSent = 0;
  private catchingUp = true;
  private readonly held = new Map<number, LiveChange>();
  private closed = false;
  private readonly stopListening: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly options: StreamOptions) {
    const { response, live, postId, heartbeatMs } = options;
    this.stopListening = live.listen(postId, (change) => this.onLive(change));
    response.once('close', () => this.close());
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    this.heartbeat.unref();
  }

  /** Sends what the client missed, then follows live. Resolves once the first catch-up is done. */
  async start(): Promise<void> {
    const { since, retryMs = 3000 } = this.options;
    this.write(`retry: ${retryMs}\n\n`);
    try {
      // Without a seq, from now on: the log's current end, as a socket subscribe without `since` gets it.
      this.lastSent = since ?? (await this.page(undefined)).lastSeq;
    } catch (error) {
      this.options.onError?.(error);
      this.close();
      return;
    }
    await this.catchUp();
  }

  get sentUpTo(): number {
    return this.lastSent;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    clearInterval(this.heartbeat);
    this.held.clear();
    if (!this.options.response.writableEnded) this.options.response.end();
  }

  private onLive(change: LiveChange): void {
    if (this.closed || change.seq <= this.lastSent) return;
    if (this.catchingUp) {
      this.held.set(change.seq, change);
      return;
    }
    if (change.seq === this.lastSent + 1) {
      this.send(change);
      return;
    }
    // A hole: the missing changes come from the log, then what is held.
    this.held.set(change.seq, change);
    this.catchingUp = true;
    void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return;
        const page = await this.page(this.lastSent);
        // Nothing exists beyond the log's end (a Last-Event-ID from elsewhere): follow from there.
        if (page.lastSeq < this.lastSent) this.lastSent = page.lastSeq;
        let progressed = false;
        for (const change of page.changes) {
          if (change.seq !== this.lastSent + 1) continue;
          this.send(change);
          progressed = true;
        }
        this.releaseHeld();
        if (!progressed || this.lastSent >= page.lastSeq) break;
        await this.drained();
      }
      if (this.closed) return;
      this.catchingUp = false;
      this.releaseHeld();
      // A hole left among the held ones (the source was behind the stream): page again, shortly.
      if (this.held.size > 0) {
        this.catchingUp = true;
        setTimeout(() => void this.catchUp(), 250).unref();
      }
    } catch (error) {
      this.options.onError?.(error);
      this.close();
    }
  }

  /** Sends the held changes that now follow on, in order, and forgets the stale ones. */
  private releaseHeld(): void {
    for (const seq of [...this.held.keys()].sort((a, b) => a - b)) {
      if (seq <= this.lastSent) this.held.delete(seq);
      else if (seq === this.lastSent + 1) {
        this.send(this.held.get(seq)!);
        this.held.delete(seq);
      } else break;
    }
  }

  /** One page of the log after `since`, through the node's source (a replay, with no room to join). */
  private async page(since: number | undefined): Promise<{ changes: readonly LiveChange[]; lastSeq: number }> {
    let changes: readonly LiveChange[] = [];
    const lastSeq = await this.options.source.attach(this.options.slug, this.options.postId, since, (replay) => (changes = replay.changes), () => {});
    return { changes, lastSeq };
  }

  private send(change: LiveChange): void {
    this.lastSent = change.seq;
    this.write(frameOf(change));
  }

  private write(text: string): void {
    const { response, maxBufferedBytes } = this.options;
    if (this.closed || response.writableEnded) return;
    response.write(text);
    // A client that stopped reading: drop it rather than hold its backlog (it resumes by Last-Event-ID).
    if (maxBufferedBytes > 0 && response.writableLength > maxBufferedBytes) response.destroy();
  }

  private drained(): Promise<void> {
    const { response } = this.options;
    if (!response.writableNeedDrain || this.closed) return Promise.resolve();
    return new Promise((done) => {
      const finish = () => {
        response.off('drain', finish);
        response.off('close', finish);
        done();
      };
      response.on('drain', finish);
      response.on('close', finish);
    });
  }
}

/** What a realtime node offers its SSE route (the primary's and a fan-out node's alike). */
export type StreamNode = {
  source: StreamSource & { find(slug: string): number | undefined | Promise<number | undefined> };
  live: LiveChanges;
  /** Counts a stream against its address's cap (the socket guards' rule); undefined when over it. */
  admit(request: IncomingMessage): (() => void) | undefined;
  heartbeatMs: number;
  /** SOCKET_MAX_BUFFERED_KB in bytes; 0: no cap. */
  maxBufferedBytes: number;
  /** The open streams, closed when the node shuts down (an open response would keep the server up). */
  readonly open: Set<ChangeStream>;
};
