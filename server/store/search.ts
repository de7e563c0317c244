import type { Db } from '../db/connection.js';
import { MATCH_END, MATCH_START } from '../domain/search.js';

/** One entry a search found, with FTS5's snippet of it (matches between MATCH_START and MATCH_END). */
export type SearchRow = { id: number; createdAt: string; snippet: string };

/** About this many words of an entry around its best match. */
const SNIPPET_TOKENS = 24;

/**
 * The find-in-post index (migration 0008: the table `entry_search`, kept by triggers on entries).
 * Reads only: the triggers write it, in the entry's own transaction.
 */
export class SearchStore {
  private readonly statements;

  constructor(db: Db) {
    this.statements = {
      // The join keeps the entries listing's own visibility rule (live entries of the post), so
      // the index can never answer more than a reader could page to. Newest first, as the desk.
      inPost: db.prepare(`SELECT e.id, e.created_at AS createdAt,
          snippet(entry_search, 1, '${MATCH_START}', '${MATCH_END}', '…', ${SNIPPET_TOKENS}) AS snippet
        FROM entry_search JOIN entries e ON e.id = entry_search.rowid
        WHERE entry_search MATCH @match AND e.post_id = @postId AND e.deleted_at IS NULL
        ORDER BY e.created_at DESC, e.id DESC LIMIT @limit`),
    };
  }

  /** The newest `limit` live entries of the post whose text matches `expression` (domain/search.ts). */
  inPost(postId: number, expression: string, limit: number): SearchRow[] {
    const match = `post : "${postId}" AND text : (${expression})`;
    return this.statements.inPost.all({ postId, match, limit }) as SearchRow[];
  }
}
