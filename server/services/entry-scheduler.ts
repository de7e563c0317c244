import type { DraftService } from './drafts.js';

/**
 * Publishes scheduled entries at their time (issue 17). The schedule lives in the database
 * (entry_drafts.publish_at), never only in a timer: at start-up everything already due is
 * published at once, and one timer is armed for the next time still to come, re-armed whenever
 * a schedule changes. Each publication is one transaction (DraftService.publishDue), so a crash
 * mid-way leaves an entry either scheduled or published, and the next start finishes the job:
 * exactly once. Only the primary runs it (plugins/drafts.ts, which a fan-out node never loads).
 */

/** A timer never waits longer than this: a far-off time is re-checked, and the clock's jumps are caught up with. */
const MAX_WAIT_MS = 30_000;
/** After a failed tick (the disk full, say), the next try. */
const RETRY_MS = 1000;

type Log = { error(details: object, message: string): void; info(details: object, message: string): void };

export class EntryScheduler {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly drafts: DraftService,
    private readonly log: Log,
    private readonly clock: () => Date = () => new Date(),
  ) {
    drafts.onScheduleChanged(() => this.arm());
  }

  /** Publishes what is due (a restart after the time) and arms the timer for what is not. */
  start(): void {
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    try {
      const published = this.drafts.publishDue(this.clock());
      if (published.length > 0) this.log.info({ entries: published.map((entry) => entry.id) }, 'published scheduled entries');
    } catch (error) {
      this.log.error({ err: error }, 'publishing scheduled entries failed; retrying in a second');
      return this.arm(RETRY_MS);
    }
    this.arm();
  }

  /** One timer, for the earliest time to come. */
  private arm(atLeastMs = 0): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.drafts.nextDue();
    if (next === undefined) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(atLeastMs, Date.parse(next) - this.clock().getTime()));
    this.timer = setTimeout(() => this.tick(), wait);
    // A schedule never keeps the process alive by itself (tests, CLI): the server's socket does.
    this.timer.unref();
  }
}
