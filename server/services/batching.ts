/**
 * The two halves of participation's write path (issue 19), shared by votes (and the pattern of
 * reactions.ts): a group commit (requests queue up, one transaction every few milliseconds writes
 * them all, then each request is answered) and a per-post throttle for the broadcasts (at most
 * one event per interval per post, the first one at once).
 */

type Waiting<Op, Result> = { op: Op; resolve: (result: Result) => void; reject: (error: unknown) => void };

export class GroupCommit<Op, Result> {
  private queue: Waiting<Op, Result>[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Writes the batch in one transaction and returns one result per op, in order; throws to fail them all. */
    private readonly write: (ops: readonly Op[]) => Result[],
    private readonly failure: (error: unknown, count: number) => unknown,
    private readonly delayMs: number,
  ) {}

  /** Resolves once the op is committed (with what `write` returned for it). */
  submit(op: Op): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.timer ??= setTimeout(() => this.flush(), this.delayMs);
    });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let results: Result[];
    try {
      results = this.write(batch.map((waiting) => waiting.op));
    } catch (error) {
      const reason = this.failure(error, batch.length);
      for (const waiting of batch) waiting.reject(reason);
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index]!));
  }
}

export class PerPostThrottle {
  private readonly last = new Map<number, number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly intervalMs: number) {}

  /** Runs `fire` for the post now, or when its interval since the last one is over; once per interval however often asked. */
  schedule(postId: number, fire: () => void): void {
    if (this.timers.has(postId) || this.closed) return;
    const wait = Math.max(0, (this.last.get(postId) ?? -Infinity) + this.intervalMs - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(postId);
      this.last.set(postId, Date.now());
      fire();
    }, wait);
    timer.unref();
    this.timers.set(postId, timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
