import type { Entry } from '../../contract/index.js';
import { createEntry, pin, session } from '../api-client.js';
import type { EntryMetaDraft } from './commands.js';
import { ApiError, NetworkError } from '../http.js';

/**
 * The author's outbox. Every entry is written to localStorage before it is sent, with its own
 * Idempotency-Key made when it was typed; items are sent one at a time, in order. A network
 * failure leaves the item queued (retried when the browser is back online, or after a pause); a
 * retry with the same key can never publish twice, and a closed tab loses nothing: the next
 * composer page for this post sends what is left.
 *
 * The outbox belongs to the person who typed it (security review M8): it is stored per user and
 * post, and before sending, the browser's current session must still be that person's. Someone
 * else signing in on the same browser (another tab, after a logout) never publishes it under
 * their name; it is held until its author signs in again. An ended session holds it the same way
 * (the page offers the login link); signing back in resumes it by itself.
 *
 * What keeps the whole queue waiting (offline, the server unreachable, the session ended or
 * someone else's) is the outbox's `condition`, not a note on an item: the page shows it once, in
 * its banner. Items carry a reason only when they failed themselves.
 *
 * An entry keeps the time it was typed (issue 14): one that goes out more than a minute after it
 * was typed sends its typed time as `createdAt`, which the server accepts from its author within
 * the last 24 hours (server/domain/typed-time.ts).
 */
export type OutboxState = 'queued' | 'sending' | 'published' | 'failed';
export type OutboxItem = {
  key: string;
  body: string;
  keyEvent: boolean;
  typedAt: string;
  state: OutboxState;
  reason?: string;
  entry?: Entry;
  /**
   * The `createdAt` this item is sent with: its typed time, or null for the time it is published;
   * unset until its first attempt. Fixed from then on, so every retry is the very request the
   * Idempotency-Key was first used for.
   */
  shownAt?: string | null;
  /** Headline, location, tags, co-authors and the pin from the composer's commands (issue 17). */
  meta?: EntryMetaDraft;
};

/** Why nothing is being sent: the whole queue waits for the connection, the server, or its author's session. */
export type OutboxCondition = 'ok' | 'offline' | 'unreachable' | 'signed-out' | 'someone-else';

export type OutboxSnapshot = {
  items: OutboxItem[];
  condition: OutboxCondition;
  /** Entries not yet published (queued or sending). */
  waiting: number;
  /** The queue had to wait and has not fully gone out since. */
  backlog: boolean;
};

/** What the page announces: an entry published or failed, and a backlog that has gone out. */
export type OutboxEvent =
  | { type: 'published'; item: OutboxItem; backlog: boolean }
  | { type: 'failed'; item: OutboxItem }
  | { type: 'drained'; sent: number; failed: number };

export type OutboxListener = { changed(snapshot: OutboxSnapshot): void; event(event: OutboxEvent): void };

const RETRY_MS = [1000, 2000, 5000, 10_000, 20_000];
/** An entry this late goes out with the time it was typed. */
const LATE_MS = 60_000;
/** The server takes a typed time from its author for 24 hours (server/domain/typed-time.ts); a little less, to be safe. */
const TYPED_TIME_MAX_AGE_MS = 24 * 60 * 60 * 1000 - 10 * 60_000;

export class Outbox {
  private readonly storageKey: string;
  private pumping = false;
  private pumpAgain = false;
  private attempt = 0;
  private retryTimer: number | undefined;
  private state: OutboxCondition;
  /**
   * Counts what went out (and failed) since the queue last had to wait, so the page can confirm
   * "All 3 entries sent" once; undefined while nothing is held back.
   */
  private backlog: { sent: number; failed: number } | undefined;
  /** Published in this page's lifetime: shown in the list, no longer stored. */
  private readonly published: OutboxItem[] = [];

  /** Stored per user and post id, not slug: a renamed post keeps its outbox. `slug` is read at send time. */
  constructor(
    private readonly postId: number,
    private readonly userId: number,
    private readonly slug: () => string,
    private readonly listener: OutboxListener,
  ) {
    this.storageKey = outboxKey(userId, postId);
    this.state = navigator.onLine ? 'ok' : 'offline';
    // A tab closed mid-send left "sending" behind: send it again (same key, so never twice).
    const stored = this.read().map((item): OutboxItem => (item.state === 'sending' ? { ...item, state: 'queued' } : item));
    this.write(stored);
    // Entries left from an earlier page (closed offline, or a reload on dead Wi-Fi) are a backlog.
    if (stored.some((item) => item.state === 'queued')) this.backlog = { sent: 0, failed: 0 };
    window.addEventListener('online', () => this.pump());
    window.addEventListener('offline', () => this.setCondition('offline'));
    // Another composer tab changed the outbox (it may have sent ours after its author signed in again).
    window.addEventListener('storage', (event) => {
      if (event.key !== this.storageKey) return;
      this.notify();
      this.settleIfEmpty();
      if (this.state !== 'ok') this.pump();
    });
    // Back at this tab, perhaps after signing in again in another one: look again.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.state !== 'ok') this.pump();
    });
  }

  items(): OutboxItem[] {
    return [...this.published, ...this.read()];
  }

  condition(): OutboxCondition {
    return this.state;
  }

  snapshot(): OutboxSnapshot {
    const items = this.items();
    const waiting = items.filter((item) => item.state === 'queued' || item.state === 'sending').length;
    return { items, condition: this.state, waiting, backlog: this.backlog !== undefined };
  }

  add(body: string, keyEvent: boolean, meta?: EntryMetaDraft): OutboxItem {
    const item: OutboxItem = { key: newKey(), body, keyEvent, typedAt: new Date().toISOString(), state: 'queued', ...(meta && Object.keys(meta).length ? { meta } : {}) };
    this.write([...this.read(), item]);
    if (this.state !== 'ok') this.backlog ??= { sent: 0, failed: 0 };
    this.notify();
    this.pump();
    return item;
  }

  retry(key: string): void {
    this.update(key, { state: 'queued', reason: undefined });
    this.attempt = 0;
    this.pump();
  }

  discard(key: string): void {
    this.write(this.read().filter((item) => item.key !== key));
    this.notify();
    this.settleIfEmpty();
  }

  /** Sends queued items in order. Tabs of the same browser take turns through a Web Lock. */
  pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    this.pumpAgain = false;
    window.clearTimeout(this.retryTimer);
    const run = () => this.drain();
    const locked = navigator.locks ? navigator.locks.request(`liveline-outbox-${this.postId}`, run) : run();
    void Promise.resolve(locked).finally(() => {
      this.pumping = false;
      if (this.pumpAgain) this.pump();
    });
  }

  private async drain(): Promise<void> {
    let checked = false;
    for (;;) {
      const item = this.read().find((candidate) => candidate.state === 'queued');
      if (!item) return this.settleIfEmpty();
      if (!navigator.onLine) return this.setCondition('offline');
      if (!checked) {
        const who = await this.whoIsSignedIn();
        if (who === 'unreachable') return this.waitForServer();
        if (who !== 'owner') return this.setCondition(who);
        checked = true;
        this.setCondition('ok');
      }
      const shownAt = item.shownAt === undefined ? shownTimeOf(item) : item.shownAt;
      this.update(item.key, { state: 'sending', reason: undefined, shownAt });
      try {
        const { pin: pinIt, ...fields } = item.meta ?? {};
        let entry = await createEntry(this.slug(), { body: item.body, ...(item.keyEvent ? { keyEvent: true } : {}), ...(shownAt ? { createdAt: shownAt } : {}), ...fields }, item.key);
        // `/pin`: its own request once the entry exists; the entry is published whatever it answers.
        if (pinIt) entry = await pin(entry.id).catch(() => entry);
        this.attempt = 0;
        this.write(this.read().filter((stored) => stored.key !== item.key));
        // Built afresh, not from the row read before sending: nothing of its waiting (a reason) comes along.
        const sent: OutboxItem = { key: item.key, body: item.body, keyEvent: item.keyEvent, typedAt: item.typedAt, state: 'published', entry };
        this.published.push(sent);
        if (this.published.length > 5) this.published.shift();
        if (this.backlog) this.backlog.sent++;
        this.state = 'ok';
        this.notify();
        this.listener.event({ type: 'published', item: sent, backlog: this.backlog !== undefined });
      } catch (error) {
        if (isTransient(error)) {
          // Keep the order, try this one again later.
          this.update(item.key, { state: 'queued' });
          return this.waitForServer();
        }
        if (error instanceof ApiError && error.status === 401) {
          // The session ended between the check and the send: the entry waits for its author.
          this.update(item.key, { state: 'queued' });
          return this.setCondition('signed-out');
        }
        if (error instanceof ApiError && problemIs(error, 'typed-time-out-of-range') && shownAt) {
          // The server's clock disagrees with this browser's about when it was typed. Nothing was
          // saved under this key (a saved one would have been replayed), so the same key may go
          // out without the typed time: it shows the time it is published.
          this.update(item.key, { state: 'queued', shownAt: null });
          continue;
        }
        const reason = error instanceof Error ? error.message : 'failed';
        this.update(item.key, { state: 'failed', reason });
        if (this.backlog) this.backlog.failed++;
        const failed = this.read().find((stored) => stored.key === item.key);
        if (failed) this.listener.event({ type: 'failed', item: failed });
        if (error instanceof ApiError && error.status === 403) return;
      }
    }
  }

  /** Who the browser's session is (one check per drain); on the way, the page gets the session's current CSRF token. */
  private async whoIsSignedIn(): Promise<'owner' | 'signed-out' | 'someone-else' | 'unreachable'> {
    try {
      const current = await session();
      if (current.user.id !== this.userId) return 'someone-else';
      // A page opened from the offline copy, or one whose author signed in again in another tab,
      // holds an older session's token: writes need the current one.
      document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.setAttribute('content', current.csrfToken);
      return 'owner';
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return 'signed-out';
      if (error instanceof ApiError && error.status < 500 && error.status !== 429) return 'someone-else';
      return 'unreachable';
    }
  }

  /** The network or the server failed us: offline if the browser says so, unreachable if it thinks it is online. */
  private waitForServer(): void {
    this.setCondition(navigator.onLine ? 'unreachable' : 'offline');
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)]!;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.pump(), delay);
  }

  private setCondition(condition: OutboxCondition): void {
    if (condition !== 'ok' && this.read().some((item) => item.state === 'queued' || item.state === 'sending')) this.backlog ??= { sent: 0, failed: 0 };
    if (condition === this.state) return;
    this.state = condition;
    this.notify();
  }

  /** Nothing left to send: the connection is what the browser says, and a backlog that went out is confirmed once. */
  private settleIfEmpty(): void {
    if (this.read().some((item) => item.state === 'queued' || item.state === 'sending')) return;
    this.state = navigator.onLine ? 'ok' : 'offline';
    const backlog = this.backlog;
    if (backlog && this.state === 'ok') this.backlog = undefined;
    this.notify();
    if (backlog && this.state === 'ok' && backlog.sent + backlog.failed > 0) this.listener.event({ type: 'drained', ...backlog });
  }

  private update(key: string, patch: Partial<OutboxItem>): void {
    this.write(this.read().map((item) => (item.key === key ? { ...item, ...patch } : item)));
    this.notify();
  }

  private read(): OutboxItem[] {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(this.storageKey) ?? '[]');
      return Array.isArray(parsed) ? (parsed as OutboxItem[]) : [];
    } catch {
      return [];
    }
  }

  private write(items: OutboxItem[]): void {
    if (items.length === 0) localStorage.removeItem(this.storageKey);
    else localStorage.setItem(this.storageKey, JSON.stringify(items));
  }

  private notify(): void {
    this.listener.changed(this.snapshot());
  }
}

/** The `createdAt` an item goes out with on its first attempt: its typed time when it is late (and the server would still take it). */
function shownTimeOf(item: OutboxItem, now = Date.now()): string | null {
  const late = now - Date.parse(item.typedAt);
  return late > LATE_MS && late < TYPED_TIME_MAX_AGE_MS ? item.typedAt : null;
}

/** A failure worth trying again with the same key: no answer, the server struggling, or the first request still running. */
function isTransient(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (!(error instanceof ApiError)) return false;
  return error.status >= 500 || error.status === 429 || (error.status === 409 && problemIs(error, 'idempotency-in-flight'));
}

/** Whether the API answered with this problem type (a proxy in front may answer with anything). */
function problemIs(error: ApiError, code: string): boolean {
  return String(error.problem.type ?? '').endsWith(`/${code}`);
}

/** A UUID for Idempotency-Key; crypto.randomUUID exists only in secure contexts (https, localhost). */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Where a user's outbox for a post is kept. */
export function outboxKey(userId: number, postId: number): string {
  return `liveline:outbox:${userId}:${postId}`;
}
