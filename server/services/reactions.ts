import { createHash } from 'node:crypto';
import type { ParticipationSettings, PostReactions, ReactInput, ReactionCounts, ReactionKind, ReactionsEvent } from '../../contract/index.js';
import { AppError, errors } from '../domain/errors.js';
import type { ReactionOp, ReactionStore } from '../store/reactions.js';
import type { Stores } from './context.js';

/**
 * Reactions to entries (issue 19), built for a crowd: at a keynote readers write far more often
 * than authors do, so a reaction is not a transaction and not a message of its own.
 *
 * - Durable before acknowledged: a reaction is queued, and every FLUSH_MS (250 ms) the queue is written in
 *   ONE transaction (WAL, synchronous=FULL, as every write here); only then does each POST get its
 *   200. A SIGKILL loses only reactions nobody was told were saved (their readers see an error
 *   and their button springs back). 200 reactions a second cost 4 commits, not 200.
 * - Counted exactly once: the table holds one row per reader per entry (the reader's reaction,
 *   replaced or taken back); in-memory counts start from the table's and move by what each batch
 *   actually changed in it, so a repeated or replayed request changes nothing.
 * - Broadcast in batches: after a flush, the post's changed entries go out as one `reactions`
 *   socket event, at most once per BROADCAST_MS per post, never one message per reaction. They
 *   are not entry changes: the change log and its `seq` are untouched.
 * - Across fan-out nodes: reactions are HTTP writes, which reach the primary (nginx sends
 *   everything but /socket.io/ there), so the primary aggregates; its event reaches the fan-out
 *   nodes' readers through the Redis adapter like a change.
 */

/** Every reaction and vote waits at most this long for its transaction: one fsync per interval whatever the crowd, so entries never queue behind a stream of small commits. */
export const FLUSH_MS = 250;
export const BROADCAST_MS = 1000;

/** Where the `reactions` event goes: the post's readers on every node (the realtime node). */
export type ParticipationSignal = (postId: number, event: 'reactions', payload: ReactionsEvent) => void;

type Pending = { op: ReactionOp; resolve: (counts: ReactionCounts) => void; reject: (error: unknown) => void };

export type ReactionTiming = { flushMs?: number; broadcastMs?: number };

export class ReactionService {
  private queue: Pending[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** postId → entryId → counts, loaded from the table on first use. */
  private readonly counts = new Map<number, Map<number, ReactionCounts>>();
  private readonly dirty = new Map<number, Set<number>>();
  private readonly lastBroadcast = new Map<number, number>();
  private readonly broadcastTimers = new Map<number, NodeJS.Timeout>();
  private readonly flushMs: number;
  private readonly broadcastMs: number;
  private closed = false;

  constructor(
    private readonly stores: Stores,
    private readonly store: ReactionStore,
    private readonly signal: ParticipationSignal,
    private readonly log: { error(details: object, message: string): void },
    timing: ReactionTiming = {},
  ) {
    this.flushMs = timing.flushMs ?? FLUSH_MS;
    this.broadcastMs = timing.broadcastMs ?? BROADCAST_MS;
  }

  /** Sets (or with `reaction: null` takes back) this reader's reaction; resolves once it is on disk. */
  async react(entryId: number, input: ReactInput): Promise<{ id: number; counts: ReactionCounts; reaction: ReactionKind | null }> {
    const entry = this.stores.entries.byId(entryId);
    if (!entry || entry.deletedAt !== null || !this.store.postExists(entry.postId)) throw errors.notFound(`The entry ${entryId}`);
    if (!this.store.reactionsEnabled(entry.postId)) {
      throw new AppError(409, 'reactions-off', 'Reactions are off', 'The editors have turned reactions off for this liveblog.');
    }
    if (this.closed) throw new AppError(503, 'shutting-down', 'Shutting down', 'The server is restarting; try again in a moment.', {}, { 'Retry-After': '2' });
    const op: ReactionOp = { postId: entry.postId, entryId, reader: hashReader(input.reader), kind: input.reaction, at: new Date().toISOString() };
    const counts = await new Promise<ReactionCounts>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.flushTimer ??= setTimeout(() => this.flush(), this.flushMs);
    });
    return { id: entryId, counts, reaction: input.reaction };
  }

  /** Every entry of the post with at least one reaction (for a page that just opened or reconnected). */
  ofPost(postId: number): PostReactions {
    const enabled = this.store.reactionsEnabled(postId);
    if (!enabled) return { enabled, entries: [] };
    const entries = [...this.countsOf(postId)].filter(([, counts]) => total(counts) > 0).map(([id, counts]) => ({ id, counts: { ...counts } }));
    return { enabled, entries };
  }

  settings(postId: number): ParticipationSettings {
    return this.store.settings(postId);
  }

  /** An editor changes what readers may do; when reactions turn on or off, the post's readers are told at once. */
  updateSettings(postId: number, slug: string, patch: Partial<ParticipationSettings>): ParticipationSettings {
    const before = this.store.settings(postId);
    const after = { ...before, ...patch };
    this.store.saveSettings(postId, after);
    if (before.reactions !== after.reactions) this.emit(postId, { slug, enabled: after.reactions, entries: after.reactions ? this.ofPost(postId).entries : [] });
    return after;
  }

  /** Writes what is queued (one transaction), acknowledges it, and schedules the broadcasts. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    // Loaded before the batch is written: the batch's effect is then added exactly once.
    for (const { op } of batch) this.countsOf(op.postId);
    let before: (ReactionKind | null)[];
    try {
      before = this.store.applyBatch(batch.map((pending) => pending.op));
    } catch (error) {
      this.log.error({ err: error, reactions: batch.length }, 'saving reactions failed; their readers were told to retry');
      const failure = new AppError(503, 'not-saved', 'Not saved', 'The reaction could not be saved; try again.', {}, { 'Retry-After': '1' });
      for (const pending of batch) pending.reject(failure);
      return;
    }
    batch.forEach(({ op, resolve }, index) => {
      const entries = this.countsOf(op.postId);
      const counts = entries.get(op.entryId) ?? {};
      const was = before[index]!;
      if (was !== op.kind) {
        if (was !== null) counts[was] = Math.max(0, (counts[was] ?? 0) - 1);
        if (op.kind !== null) counts[op.kind] = (counts[op.kind] ?? 0) + 1;
        for (const kind of Object.keys(counts) as ReactionKind[]) if (counts[kind] === 0) delete counts[kind];
        entries.set(op.entryId, counts);
        let changed = this.dirty.get(op.postId);
        if (!changed) this.dirty.set(op.postId, (changed = new Set()));
        changed.add(op.entryId);
      }
      resolve({ ...counts });
    });
    for (const postId of this.dirty.keys()) this.scheduleBroadcast(postId);
  }

  /** Writes what is still queued and stops the timers (the server is closing; the database is still open). */
  close(): void {
    this.closed = true;
    this.flush();
    for (const timer of this.broadcastTimers.values()) clearTimeout(timer);
    this.broadcastTimers.clear();
  }

  private countsOf(postId: number): Map<number, ReactionCounts> {
    let entries = this.counts.get(postId);
    if (!entries) this.counts.set(postId, (entries = this.store.countsOfPost(postId)));
    return entries;
  }

  private scheduleBroadcast(postId: number): void {
    if (this.broadcastTimers.has(postId) || this.closed) return;
    const wait = Math.max(0, (this.lastBroadcast.get(postId) ?? -Infinity) + this.broadcastMs - Date.now());
    const timer = setTimeout(() => {
      this.broadcastTimers.delete(postId);
      this.broadcast(postId);
    }, wait);
    timer.unref();
    this.broadcastTimers.set(postId, timer);
  }

  private broadcast(postId: number): void {
    const changed = this.dirty.get(postId);
    this.dirty.delete(postId);
    const post = this.stores.posts.byId(postId);
    if (!changed || changed.size === 0 || !post) return;
    this.lastBroadcast.set(postId, Date.now());
    const entries = this.countsOf(postId);
    this.emit(postId, { slug: post.slug, enabled: this.store.reactionsEnabled(postId), entries: [...changed].map((id) => ({ id, counts: { ...(entries.get(id) ?? {}) } })) });
  }

  private emit(postId: number, payload: ReactionsEvent): void {
    try {
      this.signal(postId, 'reactions', payload);
    } catch (error) {
      // The counts are saved; a reader that missed them gets them with the next batch or on reconnect.
      this.log.error({ err: error, postId }, 'broadcasting reaction counts failed');
    }
  }
}

function total(counts: ReactionCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
}

/** The table keeps a digest of the browser's id, not the id itself. */
export function hashReader(reader: string): string {
  return createHash('sha256').update(reader).digest('base64url').slice(0, 32);
}
