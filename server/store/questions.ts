import type { QuestionBlocklist, ReaderQuestion } from '../../contract/index.js';
import type { Db } from '../db/connection.js';

/** SQL for readers' questions to the desk and the block list (issue 19). Personal data: see the migration. */

type Row = { id: number; post_id: number; name: string | null; body: string; address: string; received_at: string };

const present = (row: Row): ReaderQuestion => ({ id: row.id, name: row.name, question: row.body, address: row.address, receivedAt: row.received_at });

export class QuestionStore {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(`INSERT INTO reader_questions (post_id, name, body, address, received_at) VALUES (@postId, @name, @body, @address, @now) RETURNING *`),
      counted: db.prepare(`INSERT INTO participation_settings (post_id, questions_received) VALUES (?, 1)
        ON CONFLICT (post_id) DO UPDATE SET questions_received = questions_received + 1`),
      received: db.prepare<[number], { n: number }>('SELECT questions_received AS n FROM participation_settings WHERE post_id = ?'),
      ofPost: db.prepare<[number], Row>('SELECT * FROM reader_questions WHERE post_id = ? ORDER BY id'),
      byId: db.prepare<[number], Row>('SELECT * FROM reader_questions WHERE id = ?'),
      remove: db.prepare('DELETE FROM reader_questions WHERE id = ?'),
      purge: db.prepare('DELETE FROM reader_questions WHERE received_at < ?'),
      blocklist: db.prepare<[], { kind: 'word' | 'address'; value: string }>('SELECT kind, value FROM question_blocklist ORDER BY kind, value'),
      clearBlocklist: db.prepare('DELETE FROM question_blocklist'),
      block: db.prepare('INSERT OR IGNORE INTO question_blocklist (kind, value) VALUES (?, ?)'),
    };
  }

  /** Stores a question and counts it for the post's insights, in one transaction. */
  insert(question: { postId: number; name: string | null; body: string; address: string; now: string }): { postId: number; question: ReaderQuestion } {
    return this.db.transaction(() => {
      const row = this.statements.insert.get(question) as Row;
      this.statements.counted.run(question.postId);
      return { postId: row.post_id, question: present(row) };
    })();
  }

  /** How many questions the post received (dropped spam not counted), kept after the questions are purged. */
  received(postId: number): number {
    return this.statements.received.get(postId)?.n ?? 0;
  }

  ofPost(postId: number): ReaderQuestion[] {
    return this.statements.ofPost.all(postId).map(present);
  }

  byId(id: number): (ReaderQuestion & { postId: number }) | undefined {
    const row = this.statements.byId.get(id);
    return row && { ...present(row), postId: row.post_id };
  }

  remove(id: number): boolean {
    return this.statements.remove.run(id).changes === 1;
  }

  /** Deletes questions received before `cutoff`; returns how many. */
  purgeBefore(cutoff: string): number {
    return this.statements.purge.run(cutoff).changes;
  }

  blocklist(): QuestionBlocklist {
    const rows = this.statements.blocklist.all();
    return { words: rows.filter((row) => row.kind === 'word').map((row) => row.value), addresses: rows.filter((row) => row.kind === 'address').map((row) => row.value) };
  }

  setBlocklist(list: QuestionBlocklist): void {
    this.db.transaction(() => {
      this.statements.clearBlocklist.run();
      for (const word of list.words) this.statements.block.run('word', word.toLowerCase());
      for (const address of list.addresses) this.statements.block.run('address', address);
    })();
  }
}
