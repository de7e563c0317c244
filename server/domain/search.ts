import { searchWords, type ExcerptPart } from '../../contract/index.js';
import { htmlToText } from './text.js';

/**
 * The rules of find-in-post, pure: which text of an entry is searched, how a reader's words become
 * an SQLite FTS5 expression, and how a marked-up snippet becomes an excerpt. The index itself
 * (migration 0008) is kept by triggers calling `searchableText` (db/functions.ts), so every write
 * path, imports included, indexes the same text.
 */

/** Around a match in FTS5's snippet(): characters that never occur in searchableText. */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';

/** The text readers see in an entry, as the index holds it (no control characters: see MATCH_START). */
export function searchableText(html: string): string {
  return htmlToText(html).replace(/[\u0000-\u001f\u007f]/g, ' ');
}

/** The last word is a prefix only from this many letters on: one letter would expand to most of the index. */
const PREFIX_MIN_LETTERS = 2;

/**
 * The FTS5 expression of a query: every word must occur (AND). Each word is one quoted FTS5
 * string, so no character of the query is FTS5 syntax; the tokenizer splits a word such as
 * `e-mail` or `don't` into a phrase, as it split the entry's text. The last word matches as a
 * prefix (`"keyn"*` finds "keynote"), unless the query ends with a space: that word is complete.
 */
export function matchExpression(q: string): string {
  const words = searchWords(q);
  const typing = !/\s$/.test(q);
  return words
    .map((word, index) => {
      const quoted = `"${word.replaceAll('"', '""')}"`;
      const prefix = typing && index === words.length - 1 && (word.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= PREFIX_MIN_LETTERS;
      return prefix ? `${quoted}*` : quoted;
    })
    .join(' ');
}

/** FTS5's snippet (matches between MATCH_START and MATCH_END) as excerpt parts. */
export function excerptParts(snippet: string): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  for (const [index, piece] of snippet.split(new RegExp(`[${MATCH_START}${MATCH_END}]`)).entries()) {
    if (piece) parts.push({ text: piece, match: index % 2 === 1 });
  }
  return parts;
}
