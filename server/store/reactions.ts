import type { ParticipationSettings, ReactionCounts, ReactionKind } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/**
 * SQL for reactions and the per-post participation settings (issue 19). One row per reader per
 * entry; counts are those rows counted, so they are exact whatever crashed in between.
 */

type SettingsRow = { reactions: number; questions: number; question_links: number };

export type ReactionOp = { postId: number; entryId: number; reader: string; kind: ReactionKind | null; at: string };

export class ReactionStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      current: db.prepare<[number, string], { kind: ReactionKind }>('SELECT kind FROM reactions WHERE entry_id = ? AND reader = ?'),
      upsert: db.prepare(`INSERT INTO reactions (entry_id, reader, post_id, kind, reacted_at) VALUES (@entryId, @reader, @postId, @kind, @at)
        ON CONFLICT (entry_id, reader) DO UPDATE SET kind = excluded.kind, reacted_at = excluded.reacted_at`),
      remove: db.prepare('DELETE FROM reactions WHERE entry_id = ? AND reader = ?'),
      countsOfPost: db.prepare<[number], { entry_id: number; kind: ReactionKind; n: number }>(
        `SELECT r.entry_id, r.kind, count(*) AS n FROM reactions r JOIN entries e ON e.id = r.entry_id
         WHERE r.post_id = ? AND e.deleted_at IS NULL GROUP BY r.entry_id, r.kind`,
      ),
      // A draft post's entries (issue 17) take no reactions: readers cannot know them.
      postExists: db.prepare<[number], { id: number }>(`SELECT id FROM posts WHERE id = ? AND deleted_at IS NULL AND status != 'draft'`),
      settings: db.prepare<[number], SettingsRow>('SELECT reactions, questions, question_links FROM participation_settings WHERE post_id = ?'),
      saveSettings: db.prepare(`INSERT INTO participation_settings (post_id, reactions, questions, question_links) VALUES (@postId, @reactions, @questions, @questionLinks)
        ON CONFLICT (post_id) DO UPDATE SET reactions = excluded.reactions, questions = excluded.questions, question_links = excluded.question_links`),
    };
  }

  /**
   * Applies a batch in one transaction; returns, for each op, the reader's reaction before it
   * (so the caller moves its in-memory counts by exactly what changed in the table).
   */
  applyBatch(ops: readonly ReactionOp[]): (ReactionKind | null)[] {
    return this.db.transaction(() =>
      ops.map((op) => {
        const before = this.statements.current.get(op.entryId, op.reader)?.kind ?? null;
        if (op.kind === null) {
          if (before !== null) this.statements.remove.run(op.entryId, op.reader);
        } else if (before !== op.kind) {
          this.statements.upsert.run(op);
        }
        return before;
      }),
    )();
  }

  /** Counts per live (not deleted) entry of a post. */
  countsOfPost(postId: number): Map<number, ReactionCounts> {
    const counts = new Map<number, ReactionCounts>();
    for (const row of this.statements.countsOfPost.all(postId)) {
      const entry = counts.get(row.entry_id) ?? {};
      entry[row.kind] = row.n;
      counts.set(row.entry_id, entry);
    }
    return counts;
  }

  /** Whether the post exists and is not deleted. */
  postExists(postId: number): boolean {
    return this.statements.postExists.get(postId) !== undefined;
  }

  reactionsEnabled(postId: number): boolean {
    return this.settings(postId).reactions;
  }

  /** What readers may do on the post (defaults for a post without a row). */
  settings(postId: number): ParticipationSettings {
    const row = this.statements.settings.get(postId) ?? { reactions: 1, questions: 1, question_links: 0 };
    return { reactions: row.reactions === 1, questions: row.questions === 1, questionLinks: row.question_links === 1 };
  }

  saveSettings(postId: number, settings: ParticipationSettings): void {
    this.statements.saveSettings.run({ postId, reactions: Number(settings.reactions), questions: Number(settings.questions), questionLinks: Number(settings.questionLinks) });
  }
}
