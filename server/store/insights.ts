import type { ReactionKind } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/** SQL for insights (issue 19): reader samples, and counts read from the other tables. No personal data. */

export class InsightsStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      sample: db.prepare('INSERT OR REPLACE INTO reader_samples (post_id, at, readers) VALUES (?, ?, ?)'),
      samples: db.prepare<[number], { at: string; readers: number }>('SELECT at, readers FROM reader_samples WHERE post_id = ? ORDER BY at'),
      entryTimes: db.prepare<[number], { created_at: string }>('SELECT created_at FROM entries WHERE post_id = ? AND deleted_at IS NULL ORDER BY created_at'),
      reactions: db.prepare<[number], { entry_id: number; kind: ReactionKind; n: number; body: string; created_at: string }>(
        `SELECT r.entry_id, r.kind, count(*) AS n, e.body, e.created_at FROM reactions r JOIN entries e ON e.id = r.entry_id
         WHERE r.post_id = ? AND e.deleted_at IS NULL GROUP BY r.entry_id, r.kind`,
      ),
      questions: db.prepare<{ id: number }, { received: number; waiting: number }>(
        `SELECT COALESCE((SELECT questions_received FROM participation_settings WHERE post_id = @id), 0) AS received,
         (SELECT count(*) FROM reader_questions WHERE post_id = @id) AS waiting`,
      ),
    };
  }

  /** One sample of every read post, in one transaction. */
  record(at: string, readers: ReadonlyMap<number, number>): void {
    this.db.transaction(() => {
      for (const [postId, count] of readers) this.statements.sample.run(postId, at, count);
    })();
  }

  samples(postId: number): { at: string; readers: number }[] {
    return this.statements.samples.all(postId);
  }

  entryTimes(postId: number): string[] {
    return this.statements.entryTimes.all(postId).map((row) => row.created_at);
  }

  reactions(postId: number): { entryId: number; body: string; createdAt: string; counts: Partial<Record<ReactionKind, number>>; total: number }[] {
    const byEntry = new Map<number, { entryId: number; body: string; createdAt: string; counts: Partial<Record<ReactionKind, number>>; total: number }>();
    for (const row of this.statements.reactions.all(postId)) {
      const entry = byEntry.get(row.entry_id) ?? { entryId: row.entry_id, body: row.body, createdAt: row.created_at, counts: {}, total: 0 };
      entry.counts[row.kind] = row.n;
      entry.total += row.n;
      byEntry.set(row.entry_id, entry);
    }
    return [...byEntry.values()].sort((a, b) => b.total - a.total);
  }

  questions(postId: number): { received: number; waiting: number } {
    return this.statements.questions.get({ id: postId })!;
  }
}
