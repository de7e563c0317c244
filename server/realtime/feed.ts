import type { Change } from '../../contract/index.js';
import { SOCKET_REPLAY_LIMIT } from './source.js';

/**
 * What a fan-out node knows of one post's change log: the highest seq it has delivered and the
 * latest changes, always contiguous and ending at `hi`. Joining readers are replayed from here
 * without asking the primary, which is what keeps a reconnect storm off the primary.
 */
export class PostFeed {
  private recent: Change[] = [];
  /** The seq of each held entry's entry.created change. */
  private readonly createdAt = new Map<number, number>();
  /** False until the primary has answered once: until then the feed only collects what the stream brings. */
  warm = false;

  constructor(
    readonly slug: string,
    /** Highest seq this node has delivered (or learned) for the post. */
    public hi: number,
  ) {}

  /** Records a change; false when it is not newer than what the node already delivered. */
  record(change: Change): boolean {
    if (change.seq <= this.hi) return false;
    // A hole (a change lost while Redis was away) restarts the run: replay only what is contiguous.
    if (change.seq !== this.hi + 1) this.recent = [];
    if (change.type !== 'post.updated') this.redact(change);
    this.recent.push(change);
    if (this.recent.length > SOCKET_REPLAY_LIMIT) this.recent.shift();
    this.hi = change.seq;
    return true;
  }

  /**
   * A retraction retracts here too, as in the primary's log (server/store/changes.ts): the held
   * changes of the same entry take its latest state, so a reader joining later is never replayed
   * deleted or edited-away text. The entry's creation stays `entry.created` unless it is deleted.
   */
  private redact(latest: Exclude<Change, { type: 'post.updated' }>): void {
    const id = latest.entry.id;
    if (latest.type === 'entry.created') this.createdAt.set(id, latest.seq);
    this.recent = this.recent.map((held) => {
      if (held.type === 'post.updated' || held.entry.id !== id) return held;
      const created = latest.type !== 'entry.deleted' && this.createdAt.get(id) === held.seq;
      return (created ? { ...latest, seq: held.seq, type: 'entry.created' } : { ...latest, seq: held.seq }) as Change;
    });
  }

  /** The node learned that the log reaches `lastSeq` without the changes themselves. */
  fastForward(lastSeq: number): void {
    if (lastSeq <= this.hi) return;
    this.recent = [];
    this.hi = lastSeq;
  }

  /** The held changes newer than `seq`, contiguous or not. */
  newerThan(seq: number): Change[] {
    return this.recent.filter((change) => change.seq > seq);
  }

  /** Every change after `since` when this feed still holds all of them; undefined otherwise. */
  after(since: number): Change[] | undefined {
    if (since > this.hi) return undefined;
    const lo = this.recent[0]?.seq ?? this.hi + 1;
    if (since < lo - 1) return undefined;
    return this.recent.slice(since - lo + 1);
  }
}
