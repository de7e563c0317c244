import type { Db } from '../db/connection.js';
import type { Change } from '../domain/types.js';

/** SQL for the per-post change log. Payloads are stored exactly as published. */
export class ChangeStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      insert: db.prepare('INSERT INTO changes (post_id, seq, type, payload, created_at, actor_id) VALUES (?, ?, ?, ?, ?, ?)'),
      since: db.prepare('SELECT payload FROM changes WHERE post_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
    };
  }

  /** `actorId`: who made the change (every write records its actor); null for system changes. */
  insert(postId: number, change: Change, now: string, actorId: number | null = null): void {
    this.statements.insert.run(postId, change.seq, change.type, JSON.stringify(change), now, actorId);
  }

  since(postId: number, seq: number, limit: number): Change[] {
    const rows = this.statements.since.all(postId, seq, limit) as { payload: string }[];
    return rows.map((row) => JSON.parse(row.payload) as Change);
  }
}
