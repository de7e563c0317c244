import type { Change, ClientToServer, ServerToClient } from '../contract/index.js';
import { io, type Socket } from 'socket.io-client';
import { changesSince } from './api-client.js';

/**
 * Follows one post's change log, for the reader page and the newsroom's composer alike. Every
 * change carries the post's `seq`: a change is applied only when it is exactly the next one, a
 * gap is fetched over HTTP, and every (re)connect subscribes again with `since`, so changes are
 * applied exactly once whatever the network, the server or a sleeping laptop does.
 */
export type LiveSyncOptions = {
  slug: string;
  /** The seq the page already shows (rendered by the server or loaded over HTTP). */
  lastSeq: number;
  apply(change: Change): void;
  /** 'Connecting…', 'Live', 'Reconnecting…', 'Offline' or a sentence saying why not. */
  connection(state: string): void;
  presence?(readers: number): void;
};

const RETRY_MS = [500, 1000, 2000, 5000, 10000];
const retryDelay = (attempt: number) => RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;

export class LiveSync {
  private seq: number;
  private catchingUp = false;
  private pending: Change[] = [];
  /** Ask for the replay as one `changes` message (see subscribe()). */
  private batch = true;
  private readonly socket: Socket<ServerToClient, ClientToServer>;

  constructor(private readonly options: LiveSyncOptions) {
    this.seq = options.lastSeq;
    this.socket = io({ transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => this.subscribe());
    this.socket.on('disconnect', (reason) => {
      this.showDown();
      // A server shutting down disconnects readers on purpose; Socket.IO does not retry that by
      // itself. Come back after a random pause so a restart is not met by every reader at once.
      if (reason === 'io server disconnect') window.setTimeout(() => this.socket.connect(), 500 + Math.random() * 2500);
    });
    this.socket.io.on('reconnect_attempt', () => this.showDown());
    this.socket.on('change', (change) => this.receive(change));
    // What the page missed comes as one message right after subscribing (see subscribe()).
    this.socket.on('changes', (changes) => {
      for (const change of changes) this.receive(change);
    });
    this.socket.on('presence', (presence) => {
      if (presence.slug === options.slug) options.presence?.(presence.readers);
    });
    window.addEventListener('offline', () => options.connection('Offline'));
    window.addEventListener('online', () => {
      options.connection(this.socket.connected ? 'Live' : 'Reconnecting…');
      void this.catchUp();
    });
    // Background tabs and sleeping laptops can miss a beat without noticing: check on return.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (!this.socket.connected) this.socket.connect();
      void this.catchUp();
    });
    options.connection('Connecting…');
  }

  private showDown(): void {
    this.options.connection(navigator.onLine ? 'Reconnecting…' : 'Offline');
  }

  private subscribe(attempt = 0): void {
    const since = this.seq;
    const batch = this.batch;
    this.socket.emit('subscribe', { slug: this.options.slug, since, ...(batch ? { batch } : {}) }, (ack) => {
      // A node still running the version before `batch` (a rolling upgrade) refuses the key:
      // subscribe the old way, with the missed changes as `change` events.
      if (!ack.ok && ack.error.code === 'invalid-payload' && batch) {
        this.batch = false;
        this.subscribe(attempt);
        return;
      }
      if (!ack.ok) {
        this.options.connection(`Live updates unavailable: ${ack.error.message}`);
        // A passing server problem (busy database, overload) is retried; a wrong slug is not.
        if (ack.error.code !== 'not-found' && ack.error.code !== 'invalid-payload' && this.socket.connected) {
          window.setTimeout(() => this.subscribe(attempt + 1), retryDelay(attempt));
        }
        return;
      }
      this.options.connection('Live');
      // The server's log is behind what this page showed (a restored backup): start afresh.
      if (ack.lastSeq < since) {
        window.location.reload();
        return;
      }
      // The socket replays a bounded number of missed changes; anything beyond comes over HTTP.
      if (ack.lastSeq > this.seq) void this.catchUp();
    });
  }

  private receive(change: Change): void {
    if (this.catchingUp) {
      this.pending.push(change);
      return;
    }
    if (change.seq <= this.seq) return;
    if (change.seq === this.seq + 1) {
      this.apply(change);
      return;
    }
    this.pending.push(change);
    void this.catchUp();
  }

  /** Fetches every change after lastSeq over HTTP, then drains what arrived meanwhile. */
  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.fetchMissing();
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, retryDelay(attempt)));
        }
      }
    } finally {
      this.catchingUp = false;
    }
    const buffered = this.pending.sort((a, b) => a.seq - b.seq);
    this.pending = [];
    for (const change of buffered) this.receive(change);
  }

  private async fetchMissing(): Promise<void> {
    for (;;) {
      // A dead connection after sleep must not hold every live change in `pending` for minutes.
      const body = await changesSince(this.options.slug, this.seq, AbortSignal.timeout(10_000));
      for (const change of body.changes) {
        if (change.seq === this.seq + 1) this.apply(change);
      }
      if (body.changes.length === 0 || this.seq >= body.lastSeq) return;
    }
  }

  private apply(change: Change): void {
    this.seq = change.seq;
    this.options.apply(change);
  }
}
