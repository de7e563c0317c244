import type { FastifyBaseLogger } from 'fastify';

/**
 * A warning that may recur thousands of times a minute, logged at most once a minute with how
 * many times it happened since. A crowd behind one address retrying its refused sockets, or a
 * burst dropping a thousand stalled readers, is one situation for whoever reads the log, not a
 * thousand lines; the metrics count every occurrence.
 */
export class ThrottledWarning {
  private last = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'warn'>,
    /** Says what happened, for `times` occurrences (the count is also in the line's details). */
    private readonly message: (times: number) => string,
    private readonly everyMs = 60_000,
  ) {}

  /** One occurrence; `details` describe this one (the one that gets logged). */
  note(details: object): void {
    this.count++;
    const now = Date.now();
    if (now - this.last < this.everyMs) return;
    this.log.warn({ ...details, times: this.count }, this.message(this.count));
    this.last = now;
    this.count = 0;
  }
}
