/**
 * Slows down password guessing without letting anyone lock an account out (security review M9:
 * five requests with an empty password used to lock any known account for 15 minutes).
 *
 * Only real guesses count: a wrong password for an email. Each key (an account from one address,
 * or one address across accounts) gets `free` failures; after that every further failure doubles
 * the wait before the next attempt, from `baseDelayMs` up to `maxDelayMs`. A successful login
 * clears its key. So an attacker elsewhere cannot stop a journalist from logging in, and a
 * guesser gets slower and slower instead of a fixed window to wait out. Held in memory, bounded.
 */
export type ThrottleOptions = { free: number; baseDelayMs: number; maxDelayMs: number; maxKeys?: number };

export class LoginThrottle {
  private readonly keys = new Map<string, { failures: number; until: number }>();

  constructor(
    private readonly options: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  waitMs(key: string): number {
    const entry = this.keys.get(key);
    return entry ? Math.max(0, entry.until - this.now()) : 0;
  }

  failed(key: string): void {
    const entry = this.keys.get(key) ?? { failures: 0, until: 0 };
    entry.failures += 1;
    const over = entry.failures - this.options.free;
    if (over >= 0) entry.until = this.now() + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** over);
    this.keys.delete(key);
    this.keys.set(key, entry);
    // Oldest keys go first: memory stays bounded whatever an attacker sends.
    if (this.keys.size > (this.options.maxKeys ?? 100_000)) this.keys.delete(this.keys.keys().next().value!);
  }

  succeeded(key: string): void {
    this.keys.delete(key);
  }
}
