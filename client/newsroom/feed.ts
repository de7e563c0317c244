import { io, type Socket } from 'socket.io-client';
import type { Change, Entry, Post } from '../../server/domain/types.js';
import type { ClientToServer, ServerToClient } from '../../server/realtime/socket.js';

/**
 * The composer's live timeline: the same socket stream readers get. Changes are applied strictly
 * by seq (a gap is fetched over HTTP), so co-authors' entries appear exactly once.
 */
export type FeedEvents = {
  entry(entry: Entry): void;
  /** Where older entries start (null: there are none); for the desk's "Load earlier entries". */
  older(cursor: string | null): void;
  deleted(id: number): void;
  post(post: Post): void;
  connection(state: string): void;
};

const RETRY_MS = [500, 1000, 2000, 5000];

export class Feed {
  private lastSeq = 0;
  private busy = false;
  private pending: Change[] = [];
  private socket: Socket<ServerToClient, ClientToServer> | undefined;

  constructor(
    private slug: string,
    private readonly on: FeedEvents,
  ) {}

  async start(): Promise<void> {
    await this.loadLatest();
    this.socket = io({ transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => this.subscribe());
    this.socket.on('disconnect', () => this.on.connection(navigator.onLine ? 'Reconnecting…' : 'Offline'));
    this.socket.on('change', (change) => this.receive(change));
    window.addEventListener('offline', () => this.on.connection('Offline'));
  }

  private async loadLatest(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}`, { cache: 'no-store', headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error(String(response.status));
        const page = (await response.json()) as { post: Post; entries: Entry[]; lastSeq: number; nextCursor: string | null };
        this.lastSeq = page.lastSeq;
        this.on.post(page.post);
        for (const entry of page.entries) this.on.entry(entry);
        this.on.older(page.nextCursor);
        return;
      } catch {
        this.on.connection('Offline');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    }
  }

  /** Loads the page of entries before `cursor`; live changes keep applying to them as usual. */
  async loadOlder(cursor: string): Promise<void> {
    const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/entries?before=${encodeURIComponent(cursor)}&limit=50`, { cache: 'no-store' });
    if (!response.ok) throw new Error(`Could not load earlier entries (${response.status})`);
    const page = (await response.json()) as { entries: Entry[]; nextCursor: string | null };
    for (const entry of page.entries) this.on.entry(entry);
    this.on.older(page.nextCursor);
  }

  private subscribe(): void {
    this.socket?.emit('subscribe', { slug: this.slug, since: this.lastSeq }, (ack) => {
      if (!ack.ok) return this.on.connection(`Live updates unavailable: ${ack.error.message}`);
      this.on.connection('Live');
      if (ack.lastSeq > this.lastSeq) void this.catchUp();
    });
  }

  private receive(change: Change): void {
    if (this.busy) {
      this.pending.push(change);
      return;
    }
    if (change.seq <= this.lastSeq) return;
    if (change.seq === this.lastSeq + 1) return this.apply(change);
    this.pending.push(change);
    void this.catchUp();
  }

  private async catchUp(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          for (;;) {
            const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/changes?since=${this.lastSeq}`, { cache: 'no-store' });
            if (!response.ok) throw new Error(String(response.status));
            const body = (await response.json()) as { changes: Change[]; lastSeq: number };
            for (const change of body.changes) if (change.seq === this.lastSeq + 1) this.apply(change);
            if (body.changes.length === 0 || this.lastSeq >= body.lastSeq) break;
          }
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
        }
      }
    } finally {
      this.busy = false;
    }
    const buffered = this.pending.sort((a, b) => a.seq - b.seq);
    this.pending = [];
    for (const change of buffered) this.receive(change);
  }

  private apply(change: Change): void {
    this.lastSeq = change.seq;
    if (change.type === 'entry.deleted') this.on.deleted(change.entry.id);
    else if (change.type === 'post.updated') this.on.post(change.post);
    else this.on.entry(change.entry);
  }
}
