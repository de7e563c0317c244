import { searchableText } from '../domain/search.js';
import type { Db } from './connection.js';

/**
 * SQL functions Liveline's schema relies on, registered on every connection openDatabase makes.
 * `entry_search_text(html)`: the text readers see in an entry; the find-in-post index's triggers
 * (migration 0008) call it on every write of an entry, so the SQL of imports, restores and edits
 * needs no change to stay searchable. A connection without it (a bare sqlite3 shell) cannot write
 * entries: it gets "no such function", never a stale index.
 */
export function registerFunctions(db: Db): void {
  db.function('entry_search_text', { deterministic: true }, (html: unknown) => searchableText(typeof html === 'string' ? html : ''));
}
