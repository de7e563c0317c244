import { io, type Socket } from 'socket.io-client';
import type { Change, Entry, EntryTombstone, Post } from '../server/domain/types.js';
import type { ClientToServer, ServerToClient } from '../server/realtime/socket.js';

/**
 * The reader page's live layer. The server-rendered page is complete on its own; this script
 * keeps it current. Every change carries the post's `seq`: a change is applied only when it is
 * exactly the next one, so entries are never missing or doubled whatever the network does.
 */

type ChangesResponse = { changes: Change[]; lastSeq: number };

const RETRY_MS = [500, 1000, 2000, 5000, 10000];

export class LiveReader {
  private lastSeq: number;
  private catchingUp = false;
  private pending: Change[] = [];
  private readonly socket: Socket<ServerToClient, ClientToServer>;
  private readonly slug: string;
  private readonly timeZone: string;
  private readonly timeFormat: Intl.DateTimeFormat;
  private readonly longFormat: Intl.DateTimeFormat;

  constructor(private readonly list: HTMLElement) {
    this.slug = list.dataset.slug ?? '';
    this.lastSeq = Number(list.dataset.lastSeq ?? '0');
    this.timeZone = list.dataset.timezone ?? 'UTC';
    this.timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: this.timeZone });
    this.longFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeStyle: 'long', timeZone: this.timeZone });
    this.socket = io({ transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => this.subscribe());
    this.socket.on('disconnect', () => this.showConnection(navigator.onLine ? 'Reconnecting…' : 'Offline'));
    this.socket.io.on('reconnect_attempt', () => this.showConnection(navigator.onLine ? 'Reconnecting…' : 'Offline'));
    this.socket.on('change', (change) => this.receive(change));
    // Readers across all nodes; kept on the list for the page to show.
    this.socket.on('presence', (presence) => {
      if (presence.slug === this.slug) this.list.dataset.readers = String(presence.readers);
    });
    window.addEventListener('offline', () => this.showConnection('Offline'));
    window.addEventListener('online', () => this.showConnection(this.socket.connected ? 'Live' : 'Reconnecting…'));
    this.showConnection('Connecting…');
  }

  private subscribe(): void {
    this.socket.emit('subscribe', { slug: this.slug, since: this.lastSeq }, (ack) => {
      if (!ack.ok) {
        this.showConnection(`Live updates unavailable: ${ack.error.message}`);
        return;
      }
      this.showConnection('Live');
      // The socket replays a bounded number of missed changes; anything beyond comes over HTTP.
      if (ack.lastSeq > this.lastSeq) void this.catchUp();
      // The server's log is behind what this page showed (restored backup): start afresh.
      if (ack.lastSeq < this.lastSeq) window.location.reload();
    });
  }

  private receive(change: Change): void {
    if (this.catchingUp) {
      this.pending.push(change);
      return;
    }
    if (change.seq <= this.lastSeq) return;
    if (change.seq === this.lastSeq + 1) {
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
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
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
      const response = await fetch(`/api/posts/${encodeURIComponent(this.slug)}/changes?since=${this.lastSeq}`, {
        headers: { accept: 'application/json' },
        cache: 'no-store',
      });
      if (!response.ok) throw new Error(`catch-up failed: ${response.status}`);
      const body = (await response.json()) as ChangesResponse;
      for (const change of body.changes) {
        if (change.seq === this.lastSeq + 1) this.apply(change);
      }
      if (body.changes.length === 0 || this.lastSeq >= body.lastSeq) return;
    }
  }

  private apply(change: Change): void {
    this.lastSeq = change.seq;
    this.list.dataset.lastSeq = String(change.seq);
    switch (change.type) {
      case 'entry.created':
      case 'entry.updated':
        this.upsert(change.entry);
        break;
      case 'entry.deleted':
        this.remove(change.entry);
        break;
      case 'post.updated':
        this.updatePost(change.post);
        break;
    }
    document.getElementById('empty')?.toggleAttribute('hidden', this.list.querySelector('article') !== null);
  }

  private upsert(entry: Entry): void {
    const existing = this.list.querySelector<HTMLElement>(`article[data-entry-id="${entry.id}"]`);
    if (existing && Number(existing.dataset.version) >= entry.version) return;
    const article = this.renderEntry(entry);
    existing?.remove();
    const articles = [...this.list.querySelectorAll<HTMLElement>('article[data-entry-id]')];
    const later = articles.find((other) => compareEntries(entry, other) < 0);
    // An edit to an entry older than this page's first one belongs to an earlier page.
    if (!existing && later === articles[0] && articles.length > 0 && document.querySelector('nav.earlier')) return;
    this.list.insertBefore(article, later ?? null);
  }

  private remove(tombstone: EntryTombstone): void {
    this.list.querySelector(`article[data-entry-id="${tombstone.id}"]`)?.remove();
  }

  private updatePost(post: Post): void {
    const title = document.getElementById('post-title');
    if (title) title.textContent = post.title;
    const description = document.getElementById('post-description');
    if (description) description.textContent = post.description;
    const status = document.getElementById('post-status');
    if (status) {
      status.textContent = { scheduled: 'Upcoming', live: 'Live', ended: 'Ended' }[post.status];
      status.className = `status status-${post.status}`;
    }
    document.querySelector('article.post')?.setAttribute('data-status', post.status);
  }

  /** Same markup as the server's entryArticle(); the HTML was sanitized on the server at write time. */
  private renderEntry(entry: Entry): HTMLElement {
    const article = document.createElement('article');
    article.className = entry.keyEvent ? 'entry key-event' : 'entry';
    article.id = `entry-${entry.id}`;
    article.dataset.entryId = String(entry.id);
    article.dataset.version = String(entry.version);
    article.dataset.createdAt = entry.createdAt;
    const header = document.createElement('header');
    const link = document.createElement('a');
    link.className = 'permalink';
    link.href = `#entry-${entry.id}`;
    const time = document.createElement('time');
    time.dateTime = entry.createdAt;
    time.textContent = this.timeFormat.format(new Date(entry.createdAt));
    time.title = this.longFormat.format(new Date(entry.createdAt));
    link.append(time);
    header.append(link);
    if (entry.author) header.append(' ', span('author', entry.author.name));
    if (entry.version > 1) header.append(' ', span('edited', 'edited'));
    const body = document.createElement('div');
    body.className = 'entry-body';
    body.innerHTML = entry.html;
    article.append(header, body);
    return article;
  }

  private showConnection(text: string): void {
    const indicator = document.getElementById('connection');
    if (!indicator) return;
    indicator.hidden = false;
    indicator.textContent = text;
    indicator.dataset.state = text === 'Live' ? 'live' : 'down';
  }
}

function span(className: string, text: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** Timeline order: by createdAt, then id (ISO strings in UTC compare as text). */
function compareEntries(entry: Entry, other: HTMLElement): number {
  const otherCreated = other.dataset.createdAt ?? '';
  if (entry.createdAt !== otherCreated) return entry.createdAt < otherCreated ? -1 : 1;
  return entry.id - Number(other.dataset.entryId);
}

const list = document.getElementById('entries');
if (list && list.dataset.live === 'true') new LiveReader(list);
