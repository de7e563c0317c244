import type { Actor, Entry, Poll, PollInput, PollsEvent, VoteInput } from '../../contract/index.js';
import { AppError, errors } from '../domain/errors.js';
import type { PollRow, PollStore, VoteOp } from '../store/polls.js';
import { GroupCommit, PerPostThrottle } from './batching.js';
import type { Stores } from './context.js';
import type { EntryService } from './entries.js';
import { BROADCAST_MS, FLUSH_MS, hashReader } from './reactions.js';

/**
 * Polls (issue 19): an entry holding a question with 2–6 options; readers vote once (the same
 * anonymous browser id as reactions); it closes at `closesAt` or by hand.
 *
 * The entry is written through the entry service (its change, its seq, its publish), then the
 * poll is attached and announced with a `polls` event; the page shows the poll under the entry
 * once both arrived (in either order). Votes take reactions' road: queued, written every FLUSH_MS
 * in one transaction, answered once on disk, counted from the rows (so exactly once), and the
 * changed results broadcast at most once per BROADCAST_MS per post. A vote checked as open may
 * land in the batch that follows its poll's closing by a few milliseconds; it counts.
 */

type Signal = (postId: number, event: 'polls', payload: PollsEvent) => void;

/** How often deadlines are checked: a poll closes within a second of its closesAt. */
const DEADLINE_CHECK_MS = 1000;

export class PollService {
  /** pollId → votes per option, loaded on first use and moved by each batch. */
  private readonly results = new Map<number, number[]>();
  private readonly dirty = new Map<number, Set<number>>();
  private readonly throttle = new PerPostThrottle(BROADCAST_MS);
  private readonly commits: GroupCommit<VoteOp, { fresh: boolean; option: number }>;
  /** Open polls with a closesAt: pollId → [postId, closesAt ms]. */
  private readonly deadlines = new Map<number, [number, number]>();
  private readonly deadlineTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly stores: Stores,
    private readonly store: PollStore,
    private readonly entries: EntryService,
    private readonly signal: Signal,
    private readonly log: { error(details: object, message: string): void },
    flushMs = FLUSH_MS,
  ) {
    this.commits = new GroupCommit(
      (ops) => this.write(ops),
      (error, count) => {
        this.log.error({ err: error, votes: count }, 'saving votes failed; their readers were told to retry');
        return new AppError(503, 'not-saved', 'Not saved', 'The vote could not be saved; try again.', {}, { 'Retry-After': '1' });
      },
      flushMs,
    );
    for (const row of store.withDeadline()) this.deadlines.set(row.id, [row.post_id, Date.parse(row.closes_at!)]);
    this.deadlineTimer = setInterval(() => this.closeDue(), DEADLINE_CHECK_MS);
    this.deadlineTimer.unref();
  }

  /** A new entry with a poll; readers get the entry as a change and the poll as a `polls` event. */
  async create(actor: Actor, slug: string, input: PollInput): Promise<{ entry: Entry; poll: Poll }> {
    if (input.closesAt !== undefined && Date.parse(input.closesAt) <= Date.now()) {
      throw errors.unprocessable('closes-in-the-past', 'closesAt must be in the future.', { errors: [{ field: 'body.closesAt', message: 'must be in the future' }] });
    }
    const body = input.body ?? `**${input.question.replace(/([\\`*_{}[\]()#+\-.!|<>~])/g, '\\$1')}**`;
    const { entry } = await this.entries.create(actor, slug, { body, ...(input.keyEvent === undefined ? {} : { keyEvent: input.keyEvent }) });
    const closesAt = input.closesAt === undefined ? null : new Date(input.closesAt).toISOString();
    const id = this.store.insert({ postId: entry.postId, entryId: entry.id, question: input.question, options: input.options, closesAt, createdBy: actor.id, now: new Date().toISOString() });
    if (closesAt) this.deadlines.set(id, [entry.postId, Date.parse(closesAt)]);
    const poll = this.present(this.store.byId(id)!);
    this.emitNow(entry.postId, [poll]);
    return { entry, poll };
  }

  /** A reader's vote: once per poll; resolves once it is on disk, with the option that counts. */
  async vote(pollId: number, input: VoteInput): Promise<{ poll: Poll; option: number }> {
    const row = this.liveRow(pollId);
    // A poll in a draft post (issue 17) takes no votes: readers cannot know it.
    if (!this.stores.posts.isPublic(row.post_id)) throw errors.notFound(`The poll ${pollId}`);
    const poll = this.present(row);
    if (poll.closed) throw new AppError(409, 'poll-closed', 'Poll closed', 'This poll is closed; its results are final.', { poll });
    if (input.option >= poll.options.length) {
      throw errors.validation(`The poll has ${poll.options.length} options (0 to ${poll.options.length - 1}).`, [{ field: 'body.option', message: `must be below ${poll.options.length}` }]);
    }
    if (this.closed) throw new AppError(503, 'shutting-down', 'Shutting down', 'The server is restarting; try again in a moment.', {}, { 'Retry-After': '2' });
    const { option } = await this.commits.submit({ pollId, reader: hashReader(input.reader), option: input.option, at: new Date().toISOString() });
    return { poll: this.present(row), option };
  }

  /** An author or editor closes the poll now; readers see the final results. */
  close(pollId: number): Poll {
    const row = this.liveRow(pollId);
    this.commits.flush();
    this.store.close(pollId, new Date().toISOString());
    this.deadlines.delete(pollId);
    const poll = this.present(this.store.byId(pollId)!);
    this.dirty.get(row.post_id)?.delete(pollId);
    this.emitNow(row.post_id, [poll]);
    return poll;
  }

  ofPost(postId: number): Poll[] {
    return this.store.ofPost(postId).map((row) => this.present(row));
  }

  shutdown(): void {
    this.closed = true;
    this.commits.flush();
    this.throttle.close();
    clearInterval(this.deadlineTimer);
  }

  private liveRow(pollId: number): PollRow {
    const row = this.store.byId(pollId);
    if (!row || row.entry_deleted === 1 || !this.stores.posts.byId(row.post_id) || this.stores.posts.byId(row.post_id)!.slug.startsWith('~deleted-')) throw errors.notFound(`The poll ${pollId}`);
    return row;
  }

  private write(ops: readonly VoteOp[]): { fresh: boolean; option: number }[] {
    // Loaded before the batch is written: the batch's effect is then added exactly once.
    const rows = new Map<number, PollRow>();
    for (const op of ops) {
      const row = rows.get(op.pollId) ?? this.store.byId(op.pollId)!;
      rows.set(op.pollId, row);
      this.countsOf(row);
    }
    const written = this.store.applyVotes(ops);
    written.forEach(({ fresh, option }, index) => {
      if (!fresh) return;
      const row = rows.get(ops[index]!.pollId)!;
      this.countsOf(row)[option]! += 1;
      let changed = this.dirty.get(row.post_id);
      if (!changed) this.dirty.set(row.post_id, (changed = new Set()));
      changed.add(row.id);
    });
    for (const postId of new Set([...rows.values()].map((row) => row.post_id))) this.throttle.schedule(postId, () => this.broadcast(postId));
    return written;
  }

  private countsOf(row: PollRow): number[] {
    let counts = this.results.get(row.id);
    if (!counts) this.results.set(row.id, (counts = this.store.votes(row.id, (JSON.parse(row.options) as string[]).length)));
    return counts;
  }

  private present(row: PollRow): Poll {
    const labels = JSON.parse(row.options) as string[];
    const votes = this.countsOf(row);
    const due = row.closes_at !== null && Date.parse(row.closes_at) <= Date.now();
    const closedAt = row.closed_at ?? (due ? row.closes_at : null);
    return {
      id: row.id,
      entryId: row.entry_id,
      question: row.question,
      options: labels.map((label, index) => ({ label, votes: votes[index] ?? 0 })),
      total: votes.reduce((sum, n) => sum + n, 0),
      closesAt: row.closes_at,
      closedAt,
      closed: closedAt !== null,
    };
  }

  private closeDue(): void {
    const now = Date.now();
    for (const [pollId, [postId, at]] of this.deadlines) {
      if (at > now) continue;
      this.deadlines.delete(pollId);
      const row = this.store.byId(pollId);
      if (row && row.entry_deleted === 0) this.emitNow(postId, [this.present(row)]);
    }
  }

  private broadcast(postId: number): void {
    const changed = this.dirty.get(postId);
    this.dirty.delete(postId);
    if (!changed || changed.size === 0) return;
    const polls = [...changed].map((id) => this.store.byId(id)).filter((row): row is PollRow => row !== undefined && row.entry_deleted === 0);
    if (polls.length) this.emitNow(postId, polls.map((row) => this.present(row)));
  }

  private emitNow(postId: number, polls: Poll[]): void {
    const post = this.stores.posts.byId(postId);
    if (!post) return;
    try {
      this.signal(postId, 'polls', { slug: post.slug, polls });
    } catch (error) {
      this.log.error({ err: error, postId }, 'broadcasting poll results failed');
    }
  }
}
