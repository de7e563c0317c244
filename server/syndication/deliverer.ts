import type { FastifyBaseLogger } from 'fastify';
import type { Endpoint, PendingChange, WebhookStore } from '../store/webhooks.js';
import { send, type SendResult } from './send.js';
import { signedHeaders } from './signer.js';

/**
 * Delivers every public change to the webhook endpoints that follow its post, from the durable
 * outbox: the change log read through each endpoint's cursor (migration 0014). Runs on the primary
 * only (app.ts; fan-out nodes have no database), woken by each publish and by a scan every second
 * (which also finds what a CLI import wrote, and endpoints whose retry time has come).
 *
 * - Order: one delivery at a time per endpoint, the next only after the receiver acknowledged
 *   the last one with a 2xx, so each post's changes arrive in seq order. A failing delivery holds
 *   back the later ones for that endpoint only; other endpoints go on.
 * - Retries: exponential backoff with jitter, from WEBHOOK_RETRY_BASE_MS doubling up to
 *   WEBHOOK_RETRY_MAX_MS, each delay drawn between half of it and all of it; never given up (an
 *   admin pauses the endpoint, or replays). The retry time is stored, so a restart keeps it.
 * - Durability: the cursor moves in the same transaction that logs the 2xx. Nothing is lost on a
 *   crash; a crash between the receiver's 2xx and that commit sends the change again after the
 *   restart with the same webhook-id (at least once on the wire; receivers deduplicate by
 *   webhook-id, or apply by seq).
 */

export type WebhookSettings = { allowPrivate: boolean; retryBaseMs: number; retryMaxMs: number; timeoutMs: number };

export type DelivererOptions = {
  store: WebhookStore;
  settings: WebhookSettings;
  log: FastifyBaseLogger;
  /** How often the outbox is scanned besides the wake-ups (ms). */
  scanMs?: number;
  /** Endpoints served at once. */
  concurrency?: number;
  random?: () => number;
  /** Told of each attempt's outcome (the primary counts them: liveline_webhook_attempts_total). */
  onAttempt?: (delivered: boolean) => void;
};

/** The webhook-id of a change: the same on every retry; a replay sends new ones (`_r<n>`). */
export function messageIdOf(change: Pick<PendingChange, 'endpointId' | 'postId' | 'seq' | 'generation'>): string {
  return `msg_${change.endpointId}_${change.postId}_${change.seq}${change.generation > 0 ? `_r${change.generation}` : ''}`;
}

/** The JSON body: the change as `/changes` serves it, byte for byte, under `data`. */
export function payloadOf(change: PendingChange): string {
  return `{"type":${JSON.stringify(change.type)},"timestamp":${JSON.stringify(change.createdAt)},"seq":${change.seq},"post":{"id":${change.postId},"slug":${JSON.stringify(change.slug)}},"data":${change.json}}`;
}

/** The delay before attempt `failures + 1`: base · 2^(failures − 1), capped, then jittered into [½, 1] of it. */
export function retryDelay(failures: number, settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>, random: () => number = Math.random): number {
  const full = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(Math.max(failures - 1, 0), 40));
  return Math.round(full * (0.5 + random() / 2));
}

export class WebhookDeliverer {
  private readonly running = new Map<number, Promise<void>>();
  /** Endpoints woken while they were running: they look again when done. */
  private readonly again = new Set<number>();
  private readonly abort = new AbortController();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private timer: NodeJS.Timeout | undefined;
  private wakeQueued = false;
  private stopped = false;

  constructor(private readonly options: DelivererOptions) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.scan(), this.options.scanMs ?? 1000);
    this.timer.unref();
    this.scan();
  }

  /** Something changed (a publish, a replay, an endpoint enabled): look soon. Never throws. */
  wake(): void {
    if (this.stopped || this.wakeQueued) return;
    this.wakeQueued = true;
    for (const id of this.running.keys()) this.again.add(id);
    setImmediate(() => {
      this.wakeQueued = false;
      this.scan();
    });
  }

  /** Stops delivering: in-flight requests are aborted and not recorded, so they go again after a restart. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private scan(): void {
    if (this.stopped) return;
    try {
      for (const endpoint of this.options.store.due(new Date().toISOString())) {
        if (this.running.size >= (this.options.concurrency ?? 8)) break;
        if (!this.running.has(endpoint.id)) this.run(endpoint);
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'webhook outbox scan failed; trying again at the next scan');
    }
  }

  private run(endpoint: Endpoint): void {
    const work = this.drain(endpoint)
      .catch((error: unknown) => this.options.log.error({ err: error, webhook: endpoint.id }, 'webhook delivery failed unexpectedly; trying again at the next scan'))
      .finally(() => {
        this.running.delete(endpoint.id);
        if (this.again.delete(endpoint.id)) this.wake();
      });
    this.running.set(endpoint.id, work);
  }

  /** Sends the endpoint's pending changes one by one, until none is left or one fails. */
  private async drain(start: Endpoint): Promise<void> {
    const { store, settings, log } = this.options;
    let endpoint: Endpoint | undefined = start;
    while (endpoint?.active && !this.stopped) {
      const change = store.next(endpoint);
      if (!change) return;
      // A deleted post's own rows are not sent (readers no longer find it); its tombstones are.
      if (change.postDeleted && change.type === 'post.updated') {
        store.delivered(change, undefined, new Date().toISOString());
        continue;
      }
      const messageId = messageIdOf(change);
      const body = payloadOf(change);
      const result: SendResult = await send(new URL(endpoint.url), body, signedHeaders(endpoint.secret, messageId, Math.floor(Date.now() / 1000), body), {
        timeoutMs: settings.timeoutMs,
        allowPrivate: settings.allowPrivate,
        signal: this.abort.signal,
      });
      if (this.stopped) return;
      // Deleted while the request was out: nothing to record.
      if (!store.endpoint(endpoint.id)) return;
      const now = new Date().toISOString();
      this.options.onAttempt?.(result.ok);
      if (result.ok) {
        store.delivered(change, { messageId, responseCode: result.status }, now);
      } else {
        const delay = retryDelay(endpoint.failures + 1, settings, this.options.random);
        const failures = store.failed(change, { messageId, responseCode: result.status, error: result.error }, new Date(Date.now() + delay).toISOString(), now);
        if (failures === 1 || failures % 10 === 0) log.warn({ webhook: endpoint.id, seq: change.seq, postId: change.postId, failures, error: result.error }, 'webhook delivery failed; retrying with backoff');
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          this.wake();
        }, delay + 5);
        timer.unref();
        this.retryTimers.add(timer);
        return;
      }
      endpoint = store.endpoint(endpoint.id);
    }
  }
}
