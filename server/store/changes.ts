import type { Change } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/** A change as the JSON it was published (and stored) as. */
export type SerializedChange = { seq: number; json: string };

/** SQL for the per-post change log. Payloads are stored exactly as published. */
export class ChangeStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare('INSERT INTO changes (post_id, seq, type, payload, created_at, actor_id) VALUES (?, ?, ?, ?, ?, ?)'),
      since: db.prepare('SELECT seq, payload FROM changes WHERE post_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    };
  }

  /** `actorId`: who made the change (every write records its actor); null for system changes. */
  insert(postId: number, change: Change, now: string, actorId: number | null = null): void {
    this.statements.insert.run(postId, change.seq, change.type, JSON.stringify(change), now, actorId);
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
