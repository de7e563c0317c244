import type { PollResultRow } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/** SQL for polls and their votes (issue 19): one vote per reader per poll, results counted from the rows. */

export type PollRow = {
  id: number;
  post_id: number;
  entry_id: number;
  question: string;
  options: string;
  closes_at: string | null;
  closed_at: string | null;
  entry_deleted: number;
};

export type VoteOp = { pollId: number; reader: string; option: number; at: string };

const SELECT = `SELECT p.*, e.deleted_at IS NOT NULL AS entry_deleted FROM polls p JOIN entries e ON e.id = p.entry_id`;

export class PollStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO polls (post_id, entry_id, question, options, closes_at, created_by, created_at)
        VALUES (@postId, @entryId, @question, @options, @closesAt, @createdBy, @now) RETURNING id`),
      byId: db.prepare<[number], PollRow>(`${SELECT} WHERE p.id = ?`),
      ofPost: db.prepare<[number], PollRow>(`${SELECT} WHERE p.post_id = ? AND e.deleted_at IS NULL ORDER BY p.id`),
      withDeadline: db.prepare<[], PollRow>(`${SELECT} WHERE p.closed_at IS NULL AND p.closes_at IS NOT NULL AND e.deleted_at IS NULL`),
      votes: db.prepare<[number], { option: number; n: number }>('SELECT option, count(*) AS n FROM poll_votes WHERE poll_id = ? GROUP BY option'),
      insertVote: db.prepare('INSERT INTO poll_votes (poll_id, reader, option, voted_at) VALUES (@pollId, @reader, @option, @at) ON CONFLICT (poll_id, reader) DO NOTHING'),
      voteOf: db.prepare<[number, string], { option: number }>('SELECT option FROM poll_votes WHERE poll_id = ? AND reader = ?'),
      close: db.prepare('UPDATE polls SET closed_at = @now WHERE id = @id AND closed_at IS NULL'),
    };
  }

  insert(poll: { postId: number; entryId: number; question: string; options: string[]; closesAt: string | null; createdBy: number | null; now: string }): number {
    return (this.statements.insert.get({ ...poll, options: JSON.stringify(poll.options) }) as { id: number }).id;
  }

  byId(id: number): PollRow | undefined {
    return this.statements.byId.get(id);
  }

  ofPost(postId: number): PollRow[] {
    return this.statements.ofPost.all(postId);
  }

  /** Open polls that close by themselves at closes_at. */
  withDeadline(): PollRow[] {
    return this.statements.withDeadline.all();
  }

  /** Votes per option index. */
  votes(pollId: number, optionCount: number): number[] {
    const counts = Array.from({ length: optionCount }, () => 0);
    for (const row of this.statements.votes.all(pollId)) if (row.option < optionCount) counts[row.option] = row.n;
    return counts;
  }

  /**
   * Writes a batch of votes in one transaction. For each: whether it was new, and the reader's
   * option as stored (a reader who already voted keeps the first vote).
   */
  applyVotes(ops: readonly VoteOp[]): { fresh: boolean; option: number }[] {
    return this.db.transaction(() =>
      ops.map((op) => {
        const fresh = this.statements.insertVote.run(op).changes === 1;
        return { fresh, option: fresh ? op.option : this.statements.voteOf.get(op.pollId, op.reader)!.option };
      }),
    )();
  }

  /** Every poll of the post's live entries with its results, for exports. */
  results(postId: number): PollResultRow[] {
    return this.ofPost(postId).map((row) => {
      const labels = JSON.parse(row.options) as string[];
      const votes = this.votes(row.id, labels.length);
      const closedAt = row.closed_at ?? (row.closes_at !== null && row.closes_at <= new Date().toISOString() ? row.closes_at : null);
      return { id: row.id, entry_id: row.entry_id, question: row.question, options: labels.map((label, index) => ({ label, votes: votes[index]! })), closes_at: row.closes_at, closed_at: closedAt };
    });
  }

  close(id: number, now: string): boolean {
    return this.statements.close.run({ id, now }).changes === 1;
  }
}
