import type { Db } from '../db/connection.js';
import type { Change, ChangeBody, ChangeRow } from '../../contract/index.js';

/** A change as the JSON it was published (and stored) as. */
export type SerializedChange = { seq: number; json: string };

/** A change just written to the log: numbered, and serialized once for every reader and replay. */
export type LoggedChange = { postId: number; seq: number; change: Change; json: string };

/**
 * The per-post change log, and the only code that writes it (server/test/change-log.test.ts
 * proves no other module touches the `changes` table or `posts.last_seq`).
 *
 * `append` numbers a change (`seq` = the post's last + 1), stores it with its actor and returns
 * the JSON that is published after COMMIT and replayed later, byte for byte. It runs inside the
 * caller's transaction, the one that makes the mutation: the change exists exactly when the
 * mutation does, and two writers can never take the same seq.
 *
 * A retraction retracts: an entry change also rewrites the earlier rows of the same entry to
 * this latest state (a deletion leaves only tombstones), so neither catch-up nor a socket replay
 * can bring back deleted or edited-away text. Each row keeps its seq, so the log stays contiguous
 * and a reader catching up from any point still converges on the current page. Revisions (the
 * newsroom's history) keep every version.
 */
export class ChangeLog {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      // Every change moves the post's updated_at: pages and lists version themselves by it.
      nextSeq: db.prepare('UPDATE posts SET last_seq = last_seq + 1, updated_at = ? WHERE id = ? RETURNING last_seq'),
      insert: db.prepare('INSERT INTO changes (post_id, seq, type, payload, created_at, actor_id, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // A retraction retracts: the entry's earlier rows take its latest state, each keeping its seq.
      // The entry's first row stays its entry.created unless the entry is now deleted.
      redact: db.prepare(`UPDATE changes SET type = t.type, payload = json_set(@payload, '$.seq', changes.seq, '$.type', t.type)
        FROM (SELECT c.seq, CASE WHEN @type <> 'entry.deleted' AND c.seq = (SELECT min(f.seq) FROM changes f WHERE f.post_id = @postId AND f.entry_id = @entryId)
          THEN 'entry.created' ELSE @type END AS type FROM changes c WHERE c.post_id = @postId AND c.entry_id = @entryId AND c.seq < @seq) AS t
        WHERE changes.post_id = @postId AND changes.entry_id = @entryId AND changes.seq = t.seq`),
      restore: db.prepare(`INSERT INTO changes (post_id, seq, type, payload, created_at, actor_id, entry_id)
        VALUES (@post_id, @seq, @type, @payload, @created_at, @actor_id, json_extract(@payload, '$.entry.id'))`),
      since: db.prepare('SELECT seq, payload FROM changes WHERE post_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    };
  }

  /**
   * Appends one change to the post's log. `actorId`: who made it (null only for changes no person
   * made). A `post.updated` change carries the post as of this change, `lastSeq` included.
   */
  append(postId: number, body: ChangeBody, actorId: number | null, now: string): LoggedChange {
    if (!this.db.inTransaction) throw new Error('ChangeLog.append must run inside the transaction of the mutation it records');
    const row = this.statements.nextSeq.get(now, postId) as { last_seq: number } | undefined;
    if (!row) throw new Error(`ChangeLog.append: no post ${postId}`);
    const seq = row.last_seq;
    const change = (body.type === 'post.updated' ? { seq, type: body.type, post: { ...body.post, lastSeq: seq, updatedAt: now } } : { seq, ...body }) as Change;
    const json = JSON.stringify(change);
    const entryId = change.type === 'post.updated' ? null : change.entry.id;
    this.statements.insert.run(postId, seq, change.type, json, now, actorId, entryId);
    if (entryId !== null) this.statements.redact.run({ postId, entryId, seq, type: change.type, payload: json });
    return { postId, seq, change, json };
  }

  /** Restores rows of a JSON archive exactly as they were (seq, payload bytes, actor); the caller checked they are whole. */
  restore(rows: readonly ChangeRow[]): void {
    for (const row of rows) this.statements.restore.run({ actor_id: null, ...row });
  }

  /**
   * The changes after `seq`, in order: at most `limit` of them and about `maxBytes` of payload
   * (always at least one), so one request cannot make the server serialize megabytes at once.
   */
  since(postId: number, seq: number, limit: number, maxBytes = Number.POSITIVE_INFINITY): Change[] {
    return this.serializedSince(postId, seq, limit, maxBytes).map((row) => JSON.parse(row.json) as Change);
  }

  /** The same, as the JSON they were published as: nothing to parse for a caller that only forwards them. */
  serializedSince(postId: number, seq: number, limit: number, maxBytes = Number.POSITIVE_INFINITY): SerializedChange[] {
    const changes: SerializedChange[] = [];
    let bytes = 0;
    for (const row of this.statements.since.iterate(postId, seq, limit) as IterableIterator<{ seq: number; payload: string }>) {
      if (changes.length > 0 && bytes + row.payload.length > maxBytes) break;
      bytes += row.payload.length;
      changes.push({ seq: row.seq, json: row.payload });
    }
    return changes;
  }
}
