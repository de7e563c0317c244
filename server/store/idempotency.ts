import type { Db } from '../db/connection.js';

export type IdempotencyRecord = { requestHash: string; entryId: number };

/** SQL for idempotency keys, scoped per user. */
export class IdempotencyStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      find: db.prepare('SELECT request_hash AS requestHash, entry_id AS entryId FROM idempotency_keys WHERE user_id = ? AND key = ?'),
      insert: db.prepare('INSERT INTO idempotency_keys (user_id, key, request_hash, entry_id, created_at) VALUES (?, ?, ?, ?, ?)'),
      purge: db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?'),
    };
  }

  find(userId: number, key: string): IdempotencyRecord | undefined {
    return this.statements.find.get(userId, key) as IdempotencyRecord | undefined;
  }

  insert(userId: number, key: string, requestHash: string, entryId: number, now: string): void {
    this.statements.insert.run(userId, key, requestHash, entryId, now);
  }

  /** Forgets keys older than `cutoff` (ISO time). Returns how many were removed. */
  purgeOlderThan(cutoff: string): number {
    return this.statements.purge.run(cutoff).changes;
  }
}
