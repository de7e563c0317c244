import type { FastifyBaseLogger } from 'fastify';
import type { createClient } from 'redis';
import type { RedisLibraries } from './redis-libraries.js';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The node's connection to Redis, and whether it is up. Commands fail fast while Redis is away
 * (no offline queue): the primary must keep storing entries and serving its own readers rather
 * than wait. The Socket.IO adapter's duplicates (blocking stream reads, pub/sub) do queue, so they
 * simply resume when Redis returns instead of spinning on errors.
 */
export class RedisLink {
  readonly client: RedisClient;
  private up = false;
  private closing = false;
  private readonly listeners: ((up: boolean) => void)[] = [];

  constructor(url: string, private readonly log: FastifyBaseLogger, { createClient }: RedisLibraries) {
    this.client = createClient({
      url,
      disableOfflineQueue: true,
      // A Redis that hangs rather than refuses must not hold the primary's own delivery either.
      commandOptions: { timeout: 2000 },
      pingInterval: 5000,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
    });
    const duplicate = this.client.duplicate.bind(this.client);
    // The adapter's duplicates block on stream reads for seconds: no command timeout, and they queue.
    this.client.duplicate = ((overrides) => duplicate({ ...overrides, disableOfflineQueue: false, commandOptions: {} })) as RedisClient['duplicate'];
    this.client.on('ready', () => this.set(true));
    this.client.on('end', () => this.set(false));
    this.client.on('error', (error: Error) => {
      // node-redis reports every failed reconnect attempt; one log line per outage is enough.
      if (this.up || !this.reportedDown) this.log.error({ err: error.message }, 'Redis is unavailable: readers on other nodes fall back to HTTP catch-up until it returns');
      this.reportedDown = true;
      this.set(false);
    });
  }

  private reportedDown = false;

  get isUp(): boolean {
    return this.up && this.client.isReady;
  }

  onChange(listener: (up: boolean) => void): void {
    this.listeners.push(listener);
  }

  /** Starts connecting; resolves at once even when Redis is down (the client keeps retrying). */
  start(): void {
    this.client.connect().catch((error: unknown) => {
      if (!this.closing) this.log.error({ err: error }, 'Redis connection failed');
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.isOpen) await this.client.quit().catch(() => this.client.destroy());
  }

  private set(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (up) {
      this.reportedDown = false;
      this.log.info('Redis is connected: changes flow to every node');
    }
    for (const listener of this.listeners) listener(up);
  }
}
