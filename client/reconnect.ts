/**
 * When a reader's socket tries again after losing its server. A deploy, a crashed node or a
 * venue's Wi-Fi blip drops thousands of readers in the same instant; had each come back after
 * the same pause (socket.io-client's own backoff keeps every retry within ±50% of 1 s, 2 s, 4 s…),
 * they would knock together, in waves. Full jitter ("Exponential Backoff And Jitter", AWS, 2015):
 * attempt n waits a uniformly random time between 0 and min(cap, base × 2^n), so a herd arrives
 * spread evenly over the window instead of in a spike, and the window still widens while the
 * server stays away. The reader page (live-sync.ts) and the bench's readers (bench/gen) both use
 * this, so the reconnect-herd scenario measures the policy readers really have.
 *
 * Defaults: base 1 s, cap 5 s (60 s while HTTP polling answers and the socket is refused on
 * purpose, see live-sync.ts). The first retry comes within 1 s of the loss: 10,000 readers of a
 * restarted node knock about 10 per millisecond over that second, not all in its first moment.
 */
export type ReconnectPolicy = {
  /** The window of the first retry, doubled on each failed attempt. */
  baseMs: number;
  /** The widest window. */
  capMs: number;
  /** false: socket.io-client's own fixed backoff (±50% around 1 s, 2 s… 5 s), for comparison in the bench. */
  jitter: boolean;
};

export const RECONNECT_DEFAULTS: ReconnectPolicy = { baseMs: 1000, capMs: 5000, jitter: true };

/** How long to wait before attempt `attempt` (0 for the first retry after a loss). */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy = RECONNECT_DEFAULTS, random: () => number = Math.random): number {
  const doubled = policy.baseMs * 2 ** Math.min(attempt, 30);
  if (policy.jitter) return Math.floor(random() * Math.min(policy.capMs, doubled));
  // socket.io-client's Backoff (randomizationFactor 0.5): the doubled delay ±50%, then capped.
  return Math.floor(Math.min(policy.capMs, doubled * (0.5 + random())));
}
