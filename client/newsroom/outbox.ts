import type { Entry } from '../../contract/index.js';
import { createEntry, session } from '../api-client.js';
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
 * their name; it is held until its author signs in again.
 */
export type OutboxState = 'queued' | 'sending' | 'published' | 'failed';
export type OutboxItem = { key: string; body: string; keyEvent: boolean; typedAt: string; state: OutboxState; reason?: string; entry?: Entry };

const RETRY_MS = [1000, 2000, 5000, 10_000, 20_000];

export class Outbox {
  private readonly storageKey: string;
  private pumping = false;
  private pumpAgain = false;
  private attempt = 0;
  private retryTimer: number | undefined;
  /** Published in this page's lifetime: shown in the list, no longer stored. */
  private readonly published: OutboxItem[] = [];

  /** Stored per user and post id, not slug: a renamed post keeps its outbox. `slug` is read at send time. */
  constructor(
    private readonly postId: number,
    private readonly userId: number,
    private readonly slug: () => string,
    private readonly onChange: (items: OutboxItem[]) => void,
  ) {
    this.storageKey = outboxKey(userId, postId);
    // A tab closed mid-send left "sending" behind: send it again (same key, so never twice).
    this.write(this.read().map((item) => (item.state === 'sending' ? { ...item, state: 'queued' } : item)));
    window.addEventListener('online', () => this.pump());
    // Another composer tab changed the outbox.
    window.addEventListener('storage', (event) => {
      if (event.key === this.storageKey) this.notify();
    });
  }

  items(): OutboxItem[] {
    return [...this.published, ...this.read()];
  }

  add(body: string, keyEvent: boolean): OutboxItem {
    const item: OutboxItem = { key: newKey(), body, keyEvent, typedAt: new Date().toISOString(), state: 'queued' };
    this.write([...this.read(), item]);
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
      if (!item) return;
      if (!navigator.onLine) {
        this.update(item.key, { reason: 'Offline: will be sent when the connection returns' });
        return;
      }
      if (!checked) {
        const owner = await this.signedInAsOwner();
        if (owner === 'unreachable') {
          this.update(item.key, { reason: 'Server unreachable: retrying' });
          this.scheduleRetry();
          return;
        }
        if (!owner) {
          this.update(item.key, { reason: 'Held: this browser is now signed in as someone else; sign in as its author to send it' });
          return;
        }
        checked = true;
      }
      this.update(item.key, { state: 'sending', reason: undefined });
      try {
        const entry = await createEntry(this.slug(), { body: item.body, ...(item.keyEvent ? { keyEvent: true } : {}) }, item.key);
        this.attempt = 0;
        this.write(this.read().filter((stored) => stored.key !== item.key));
        this.published.push({ ...item, state: 'published', entry });
        if (this.published.length > 5) this.published.shift();
        this.notify();
      } catch (error) {
        if (error instanceof NetworkError || (error instanceof ApiError && (error.status >= 500 || error.status === 409 || error.status === 429))) {
          // Transient: keep the order, try this one again later.
          this.update(item.key, { state: 'queued', reason: navigator.onLine ? 'Server unreachable: retrying' : 'Offline: will be sent when the connection returns' });
          this.scheduleRetry();
          return;
        }
        const status = error instanceof ApiError ? error.status : 0;
        const reason = status === 401 ? 'Your session has ended: log in again, then retry (the entry is kept)' : error instanceof Error ? error.message : 'failed';
        this.update(item.key, { state: 'failed', reason });
        if (status === 401 || status === 403) return;
      }
    }
  }

  /** Whether the browser's session is still the outbox's author (one check per drain). */
  private async signedInAsOwner(): Promise<boolean | 'unreachable'> {
    try {
      return (await session()).user.id === this.userId;
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) return false;
      return 'unreachable';
    }
  }

  private scheduleRetry(): void {
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)]!;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.pump(), delay);
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
    this.onChange(this.items());
  }
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
