/**
 * When a reader's socket tries again after losing its server. A deploy, a crashed node or a
 * venue's Wi-Fi blip drops thousands of readers in the same instant; had each come back after
 * the same pause (socket.io-client's own backoff keeps every retry within ±50% of 1 s, 2 s, 4 s…),
 * they would knock together, in waves. Full jitter ("Exponential Backoff And Jitter", AWS, 2015):
 * each attempt waits a uniformly random time within a window, so a herd arrives spread evenly over
 * the window instead of in a spike. The reader page (live-sync.ts) and the bench's readers
 * (bench/gen) both use this, so the reconnect-herd scenario measures the policy readers really have.
 *
 * The window is held at `baseMs` for the first `holdMs` after the loss, and only then doubles per
 * attempt up to `capMs`. A restart keeps the server away for a second or two; had the window
 * doubled meanwhile (1 s, 2 s, 4 s, 5 s…), the readers still in their 4–5 s windows when it came
 * back would sit idle for seconds while the server could already serve them: that is what made
 * the 10,000-reader herd take 6.2 s after the loss although its CPU took 4 (bench/README.md). A
 * refused connection costs a server that is down nothing (the kernel answers it), so retrying
 * within 1 s for a few seconds is cheap; once the server is back, the herd still arrives spread
 * over the 1 s window, and a longer outage falls back to the widening, capped windows.
 *
 * The held window is sized to the crowd (crowdWindowMs): 1 s up to ~3,300 readers, then 0.3 ms
 * per reader of the post (3 s at 10,000), at most the cap; a narrower one overflowed the
 * restarted server's accept queue at 10,000 readers (bench/README.md).
 *
 * Defaults: base 1 s, hold 10 s, cap 5 s (60 s while HTTP polling answers and the socket is refused
 * on purpose; then nothing is held, see live-sync.ts).
 */
export type ReconnectPolicy = {
  /** The window of each retry during the hold, and the first one doubled after it. */
  baseMs: number;
  /** The widest window. */
  capMs: number;
  /** How long after the loss the window stays at `baseMs` (0: it doubles from the first retry). */
  holdMs: number;
  /** false: socket.io-client's own fixed backoff (±50% around 1 s, 2 s… 5 s), for comparison in the bench. */
  jitter: boolean;
};

export const RECONNECT_DEFAULTS: ReconnectPolicy = { baseMs: 1000, capMs: 5000, holdMs: 10_000, jitter: true };

/**
 * About what a server core spends on one rejoining reader (bench/README.md, herd: 0.35–0.40 ms).
 * A held window narrower than crowd × this overflows the server's accept queue: 10,000 readers
 * within one second are three times what one core takes, the kernel drops the SYNs beyond its
 * backlog, and those readers' kernels retry only 1 s, 3 s, 7 s later, while the server idles.
 */
const REJOIN_MS_PER_READER = 0.3;

/**
 * The held window for a page whose post has `readers` readers (the `presence` count it last
 * heard, every node's): wide enough that the herd arrives no faster than a node takes it, 1 s
 * at least, the cap at most. A crowd split over several nodes is spread wider than each node
 * needs, which costs time, never a queue.
 */
export function crowdWindowMs(readers: number | undefined, policy: ReconnectPolicy = RECONNECT_DEFAULTS): number {
  if (readers === undefined || !Number.isFinite(readers)) return policy.baseMs;
  return Math.round(Math.min(policy.capMs, Math.max(policy.baseMs, readers * REJOIN_MS_PER_READER)));
}

/**
 * How long to wait before attempt `attempt` (0 for the first retry after a loss), `sinceLossMs`
 * after the connection was lost (omitted: as if long ago, so the window doubles from the first retry).
 */
export function reconnectDelay(
  attempt: number,
  policy: ReconnectPolicy = RECONNECT_DEFAULTS,
  random: () => number = Math.random,
  sinceLossMs = Infinity,
  /** The held window (crowdWindowMs); `baseMs` when not given. */
  heldMs = policy.baseMs,
): number {
  if (policy.jitter) {
    const held = sinceLossMs < policy.holdMs;
    return Math.floor(random() * Math.min(policy.capMs, held ? heldMs : policy.baseMs * 2 ** Math.min(attempt, 30)));
  }
  // socket.io-client's Backoff (randomizationFactor 0.5): the doubled delay ±50%, then capped.
  return Math.floor(Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30) * (0.5 + random())));
}
