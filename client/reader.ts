import { io, type Socket } from 'socket.io-client';
import type { Change, Post } from '../server/domain/types.js';
import type { ClientToServer, ServerToClient } from '../server/realtime/socket.js';
import { Earlier } from './earlier.js';
import { Highlights } from './highlights.js';
import { Timeline } from './timeline.js';
import { Times } from './times.js';

/**
 * The reader page's live layer. The server-rendered page is complete on its own; this script
 * keeps it current. Every change carries the post's `seq`: a change is applied only when it is
 * exactly the next one, so entries are never missing or doubled whatever the network does.
 */

type ChangesResponse = { changes: Change[]; lastSeq: number };

const RETRY_MS = [500, 1000, 2000, 5000, 10000];
const ORDER_KEY = 'liveline:newest-first';
const STATUS_LABEL: Record<Post['status'], string> = { scheduled: 'Upcoming', live: 'Live', ended: 'Ended' };

class LiveReader {
  private lastSeq: number;
  private catchingUp = false;
  private pending: Change[] = [];
  private readonly socket: Socket<ServerToClient, ClientToServer>;

  constructor(
    private readonly slug: string,
    lastSeq: number,
    private readonly list: HTMLElement,
    private readonly timeline: Timeline,
    private readonly highlights: Highlights,
  ) {
    this.lastSeq = lastSeq;
    this.socket = io({ transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => this.subscribe());
    this.socket.on('disconnect', (reason) => {
      this.showConnection(navigator.onLine ? 'Reconnecting…' : 'Offline');
      // A server shutting down disconnects readers on purpose; Socket.IO does not retry that by
      // itself. Come back after a random pause so a restart is not met by every reader at once.
      if (reason === 'io server disconnect') window.setTimeout(() => this.socket.connect(), 500 + Math.random() * 2500);
    });
    this.socket.io.on('reconnect_attempt', () => this.showConnection(navigator.onLine ? 'Reconnecting…' : 'Offline'));
    this.socket.on('change', (change) => this.receive(change));
    this.socket.on('presence', (presence) => {
      if (presence.slug === this.slug) showReaders(presence.readers);
    });
    window.addEventListener('offline', () => this.showConnection('Offline'));
    window.addEventListener('online', () => {
      this.showConnection(this.socket.connected ? 'Live' : 'Reconnecting…');
      void this.catchUp();
    });
    // Background tabs and sleeping laptops can miss a beat without noticing: check on return.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (!this.socket.connected) this.socket.connect();
      void this.catchUp();
    });
    this.showConnection('Connecting…');
  }

  private subscribe(attempt = 0): void {
    const since = this.lastSeq;
    this.socket.emit('subscribe', { slug: this.slug, since }, (ack) => {
      if (!ack.ok) {
        this.showConnection(`Live updates unavailable: ${ack.error.message}`);
        // A passing server problem (busy database, overload) is retried; a wrong slug is not.
        if (ack.error.code !== 'not-found' && ack.error.code !== 'invalid-payload' && this.socket.connected) {
          window.setTimeout(() => this.subscribe(attempt + 1), RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
        }
        return;
      }
      this.showConnection('Live');
      // The server's log is behind what this page showed (a restored backup): start afresh.
      if (ack.lastSeq < since) {
        window.location.reload();
        return;
      }
      // The socket replays a bounded number of missed changes; anything beyond comes over HTTP.
      if (ack.lastSeq > this.lastSeq) void this.catchUp();
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
        // A dead connection after sleep must not hold every live change in `pending` for minutes.
        signal: AbortSignal.timeout(10_000),
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
        this.timeline.upsert(change.entry, change.type === 'entry.created');
        this.highlights.update(change.entry);
        break;
      case 'entry.deleted':
        this.timeline.remove(change.entry.id, change.entry.version);
        this.highlights.removed(change.entry.id);
        break;
      case 'post.updated':
        updatePost(change.post);
        break;
    }
  }

  private showConnection(text: string): void {
    const indicator = document.getElementById('connection');
    if (!indicator) return;
    indicator.hidden = false;
    indicator.textContent = text;
    indicator.dataset.state = text === 'Live' ? 'live' : 'down';
  }
}

function updatePost(post: Post): void {
  const title = document.getElementById('post-title');
  const link = title?.querySelector('a');
  (link ?? title)?.replaceChildren(post.title);
  const description = document.getElementById('post-description');
  if (description) {
    description.textContent = post.description;
    description.hidden = post.description === '';
  }
  const status = document.getElementById('post-status');
  if (status) {
    status.textContent = STATUS_LABEL[post.status];
    status.className = `status status-${post.status}`;
  }
  document.querySelector('article.post')?.setAttribute('data-status', post.status);
  const ended = document.getElementById('ended-banner');
  if (ended) ended.hidden = post.status !== 'ended';
}

const readersFormat = new Intl.NumberFormat('en');
function showReaders(readers: number): void {
  const element = document.getElementById('readers');
  if (!element) return;
  element.textContent = `${readersFormat.format(readers)} reading`;
  element.hidden = readers < 1;
}

/** Newest-first is a per-browser preference for live posts; ended posts read like an article. */
function setUpOrderToggle(timeline: Timeline, ended: boolean): void {
  const button = document.getElementById('order-toggle') as HTMLButtonElement | null;
  const stored = readPreference();
  timeline.setNewestFirst(!ended && stored);
  if (!button) return;
  const label = () => {
    button.textContent = timeline.newestFirst ? 'Newest first' : 'Oldest first';
    button.setAttribute('aria-pressed', String(timeline.newestFirst));
    button.title = `Showing ${timeline.newestFirst ? 'newest' : 'oldest'} entries first; click to switch`;
  };
  label();
  button.hidden = false;
  button.addEventListener('click', () => {
    timeline.setNewestFirst(!timeline.newestFirst);
    writePreference(timeline.newestFirst);
    label();
    timeline.jumpToNewest();
  });
}

function readPreference(): boolean {
  try {
    return localStorage.getItem(ORDER_KEY) === '1';
  } catch {
    return false; // storage disabled (privacy mode): fall back to the default order
  }
}

function writePreference(newestFirst: boolean): void {
  try {
    localStorage.setItem(ORDER_KEY, newestFirst ? '1' : '0');
  } catch {
    // Not remembered, but the toggle still works for this page.
  }
}

function start(list: HTMLElement): void {
  const slug = list.dataset.slug ?? '';
  const times = new Times(list.dataset.timezone ?? 'UTC');
  times.decorateAll(document);
  const timeline = new Timeline(list, times, list.dataset.permalinkBase ?? '');
  setUpOrderToggle(timeline, list.dataset.status === 'ended');
  const earlier = new Earlier(slug, timeline);
  new LiveReader(slug, Number(list.dataset.lastSeq ?? '0'), list, timeline, new Highlights(times));
  // Key-moment links and shared permalinks may point at entries older than the first page.
  window.addEventListener('hashchange', () => void earlier.revealPermalink());
  if (location.hash) void earlier.revealPermalink();
  else if (list.dataset.status === 'live') timeline.jumpToNewest();
}

const list = document.getElementById('entries');
if (list && list.dataset.live === 'true') start(list);
