import { z } from 'zod';

/**
 * Find-in-post (`GET /api/posts/:slug/search`): the newsroom desk looks for words in a post's
 * entries without loading them all. The text searched is what readers see (no Markdown syntax, no
 * HTML tags or link addresses), case- and accent-insensitive; the last word matches as a prefix
 * while it is being typed. Public like the entries listing: only live entries of a post anyone can
 * read, and nothing a reader could not page to.
 */

export const SEARCH_QUERY_MAX = 200;
export const SEARCH_WORDS_MAX = 12;
export const SEARCH_LIMIT_MAX = 50;

/** A word is a run of non-space characters with at least one letter or digit in it. */
export function searchWords(q: string): string[] {
  return q.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
}

export const searchQuery = z.object({
  q: z
    .string()
    .max(SEARCH_QUERY_MAX, `must be at most ${SEARCH_QUERY_MAX} characters`)
    .refine((q) => searchWords(q).length > 0, { error: 'must contain a word (a letter or digit)' })
    .refine((q) => searchWords(q).length <= SEARCH_WORDS_MAX, { error: `must be at most ${SEARCH_WORDS_MAX} words` }),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(20),
});
export type SearchQuery = z.infer<typeof searchQuery>;

/** A piece of an excerpt: `match` marks the words the query found. */
export const excerptPart = z.object({ text: z.string(), match: z.boolean() });
export type ExcerptPart = z.infer<typeof excerptPart>;

export const searchHit = z.object({
  id: z.number(),
  createdAt: z.string(),
  /** The entry's readable text around its best match (`…` where it was cut). */
  excerpt: z.array(excerptPart),
  /** `GET /api/posts/:slug/entries?before=CURSOR` answers the page that ends with this entry. */
  cursor: z.string(),
});
export type SearchHit = z.infer<typeof searchHit>;

/** Matching entries, newest first (the desk's order); `more`: there are more than `limit`. */
export const searchOutput = z.object({ hits: z.array(searchHit), more: z.boolean() });
export type SearchResult = z.infer<typeof searchOutput>;
