import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { Change, PushPayload } from '../../contract/index.js';
import { interfaceFor } from '../../contract/i18n/index.js';
import { errors } from '../domain/errors.js';
import type { LoggedChange } from '../store/changes.js';
import type { PushStore } from '../store/push.js';
import type { Stores } from './context.js';

/**
 * Web Push alerts for key moments (issue 19), self-hosted. The VAPID key pair is made on first
 * start and kept in the database. Readers opt in per post; a push goes out only when an entry is
 * published or marked as a key moment, and when a post goes live, each at most once (push_sent).
 * Payloads are encrypted per RFC 8291 (aes128gcm) by the maintained `web-push` package; a
 * subscription the push service calls gone (404/410) is deleted. Only the primary sends: it is
 * the one process with services, and it observes its own committed changes (observe()).
 *
 * Subscriptions may point only at PUSH_SERVICE_ORIGINS: the endpoint is a URL a reader hands
 * us and the server POSTs to, so without the list it could be made to call anything.
 */

/** Sends in flight at once, so that 10,000 subscribers never open 10,000 connections together. */
const PARALLEL = 16;
/** A key moment is news for an hour; the push service may drop it after. */
const TTL_SECONDS = 3600;

export type PushOptions = {
  serviceOrigins: readonly string[];
  contact: string;
  /** The HTTPS agent for push services (tests pass one that trusts their local service's certificate). */
  agent?: Agent;
};

type Log = { error(details: object, message: string): void; warn(details: object, message: string): void };

export class PushService {
  readonly publicKey: string;
  private readonly privateKey: string;
  /** Sends still going (tests and shutdown wait for them). */
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly stores: Stores,
    private readonly store: PushStore,
    private readonly options: PushOptions,
    private readonly log: Log,
  ) {
    const keys = store.keys(() => webpush.generateVAPIDKeys());
    this.publicKey = keys.publicKey;
    this.privateKey = keys.privateKey;
  }

  subscribe(postId: number, subscription: { endpoint: string; keys: { p256dh: string; auth: string } }): void {
    if (!this.allowed(subscription.endpoint)) {
      throw errors.unprocessable('push-service-not-allowed', 'The subscription points at a push service this server does not send to (PUSH_SERVICE_ORIGINS).', { errors: [{ field: 'body.subscription.endpoint', message: 'is not a known push service' }] });
    }
    this.store.subscribe({ postId, endpoint: subscription.endpoint, p256dh: subscription.keys.p256dh, auth: subscription.keys.auth, now: new Date().toISOString() });
  }

  unsubscribe(postId: number, endpoint: string): void {
    this.store.unsubscribe(postId, endpoint);
  }

  /** Called with every committed change (never throws): key moments and a post going live are announced. */
  observe(logged: LoggedChange): void {
    try {
      const alert = this.alertFor(logged.postId, logged.change);
      if (alert) this.send(logged.postId, alert);
    } catch (error) {
      this.log.error({ err: error, postId: logged.postId }, 'preparing a push alert failed');
    }
  }

  /** Waits for the alerts being sent. */
  async settled(): Promise<void> {
    while (this.sending.size) await Promise.allSettled([...this.sending]);
  }

  private alertFor(postId: number, change: Change): PushPayload | undefined {
    const post = this.stores.posts.byId(postId);
    if (!post) return undefined;
    if (change.type === 'post.updated') {
      if (change.post.status !== 'live' || !this.store.markSent(postId, `live:${postId}`)) return undefined;
      return { title: post.title, body: interfaceFor(post.language).t('reader.nowLive'), url: `/posts/${post.slug}`, tag: `liveline-${postId}-live` };
    }
    if (change.type !== 'entry.created' && change.type !== 'entry.updated') return undefined;
    const { entry } = change;
    if (!entry.keyEvent || !this.store.markSent(postId, `entry:${entry.id}`)) return undefined;
    return { title: post.title, body: excerpt(entry.html), url: `/posts/${post.slug}#entry-${entry.id}`, tag: `liveline-${postId}-${entry.id}` };
  }

  private send(postId: number, payload: PushPayload): void {
    const subscriptions = this.store.ofPost(postId);
    if (subscriptions.length === 0) return;
    const body = JSON.stringify(payload);
    const vapidDetails = { subject: this.options.contact, publicKey: this.publicKey, privateKey: this.privateKey };
    const run = (async () => {
      let next = 0;
      const worker = async () => {
        while (next < subscriptions.length) {
          const subscription = subscriptions[next++]!;
          if (!this.allowed(subscription.endpoint)) continue; // the list changed since it subscribed
          try {
            await webpush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } }, body, {
              vapidDetails,
              TTL: TTL_SECONDS,
              urgency: 'high',
              topic: payload.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(-32),
              contentEncoding: 'aes128gcm',
              timeout: 10_000,
              ...(this.options.agent ? { agent: this.options.agent } : {}),
            });
          } catch (error) {
            const status = (error as { statusCode?: number }).statusCode;
            if (status === 404 || status === 410) this.store.remove(subscription.id);
            else this.log.warn({ err: error, status }, 'a push alert was not delivered');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, subscriptions.length) }, worker));
    })();
    this.sending.add(run);
    void run.finally(() => this.sending.delete(run));
  }

  private allowed(endpoint: string): boolean {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return false;
    }
    return this.options.serviceOrigins.some((origin) => {
      const wildcard = /^(https?:\/\/)\*\.(.+)$/.exec(origin);
      if (!wildcard) return url.origin === origin.toLowerCase();
      return `${url.protocol}//` === wildcard[1] && url.host.endsWith(`.${wildcard[2]!.toLowerCase()}`);
    });
  }
}

/** The entry's text, as a notification shows it: no markup, one line, at most 140 characters. */
function excerpt(html: string): string {
  const text = html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!)
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 140 ? `${text.slice(0, 139).trimEnd()}…` : text;
}
