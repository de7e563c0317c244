import type { Post, SearchQuery, SearchResult } from '../../contract/index.js';
import { encodeCursor } from '../domain/cursor.js';
import { excerptParts, matchExpression } from '../domain/search.js';
import type { ServiceDeps } from './context.js';

/**
 * Find-in-post: the words of a query in one post's live entries, newest first. The caller finds
 * the post the way the entries listing does (PostService.bySlug), so search is visible where the
 * entries are and nowhere else.
 */
export class SearchService {
  constructor(private readonly deps: ServiceDeps) {}

  inPost(post: Post, { q, limit }: SearchQuery): SearchResult {
    const rows = this.deps.stores.search.inPost(post.id, matchExpression(q), limit + 1);
    return {
      hits: rows.slice(0, limit).map((row) => ({
        id: row.id,
        createdAt: row.createdAt,
        excerpt: excerptParts(row.snippet),
        // `before` takes what is strictly older than the cursor: one id on, the page ends with this entry.
        cursor: encodeCursor({ createdAt: row.createdAt, id: row.id + 1 }),
      })),
      more: rows.length > limit,
    };
  }
}
