import { io as connect, type Socket } from 'socket.io-client';
import { until as waitUntil } from './helpers.js';
import type { Change, SubscribeAck } from '../../contract/index.js';

/**
 * A reader as the reader page behaves (client/reader.ts): subscribes with its lastSeq on every
 * (re)connect, applies a change only when it is the next one, and fetches gaps over HTTP.
 * `received` keeps every seq that came over the socket, to catch a node sending one twice.
 */
export class TestReader {
  lastSeq = 0;
  readonly applied: Change[] = [];
  readonly received: number[] = [];
  readonly socket: Socket;
  private catchingUp = false;
  private pending: Change[] = [];

  constructor(
    socketUrl: string,
    private readonly httpUrl: string,
    readonly slug: string,
  ) {
    this.socket = connect(socketUrl, { transports: ['websocket'], forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 1000 });
    this.socket.on('connect', () => this.subscribe());
    this.socket.on('change', (change: Change) => {
      this.received.push(change.seq);
      this.receive(change);
    });
  }

  get seqs(): number[] {
    return this.applied.map((change) => change.seq);
  }

  close(): void {
    this.socket.close();
  }

  private subscribe(): void {
    this.socket.emit('subscribe', { slug: this.slug, since: this.lastSeq }, (ack: SubscribeAck) => {
      if (ack.ok && ack.lastSeq > this.lastSeq) void this.catchUp();
    });
  }

  private receive(change: Change): void {
    if (this.catchingUp || change.seq > this.lastSeq + 1) {
      this.pending.push(change);
      void this.catchUp();
      return;
    }
    if (change.seq === this.lastSeq + 1) this.apply(change);
  }

  private async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      for (;;) {
        try {
          const response = await fetch(`${this.httpUrl}/api/posts/${this.slug}/changes?since=${this.lastSeq}`);
          const body = (await response.json()) as { changes: Change[]; lastSeq: number };
          for (const change of body.changes) if (change.seq === this.lastSeq + 1) this.apply(change);
          if (body.changes.length === 0 || this.lastSeq >= body.lastSeq) break;
        } catch {
          await new Promise((done) => setTimeout(done, 500));
        }
      }
    } finally {
      this.catchingUp = false;
    }
    const buffered = this.pending.sort((a, b) => a.seq - b.seq);
    this.pending = [];
    for (const change of buffered) this.receive(change);
  }

  private apply(change: Change): void {
    this.lastSeq = change.seq;
    this.applied.push(change);
  }
}

/** A cluster takes its time (processes, Redis, nginx): a minute before giving up. */
export function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  return waitUntil(predicate, what, timeoutMs);
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
