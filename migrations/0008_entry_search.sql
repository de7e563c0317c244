-- Find-in-post (issue 14): a full-text index of the text readers see in each live entry, so the
-- desk finds a word on a 2,000-entry post without loading it. SQLite FTS5:
--   * `text` is entry_search_text(html) (db/functions.ts): the rendered text without tags, link
--     addresses or Markdown syntax; unicode61 with remove_diacritics 2 folds case and accents
--     ("creme" finds "Crème"); prefix indexes of 2 and 3 characters keep "cr"* and "cre"* cheap.
--   * `post` holds the post id as a token: a search says `post : "12" AND text : (...)`, and
--     FTS5 intersects with that one post's rows instead of filtering every post's matches.
--   * The table keeps its own copy of the text (not external content): its rows never depend on
--     recomputing the text exactly as it was when indexed, so changing entry_search_text later
--     can never corrupt the index; rebuilding it is a DELETE and the INSERT … SELECT below.
-- Only live entries are indexed: a deletion (deleted_at set) removes the row, a restore adds it
-- back, an edit of the HTML replaces it. This is an index, not the change log (changes.ts stays
-- its only writer); it is written inside the same transaction as the entry, by these triggers.
CREATE VIRTUAL TABLE entry_search USING fts5(post, text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER entry_search_insert AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO entry_search (rowid, post, text) VALUES (new.id, new.post_id, entry_search_text(new.html));
END;

CREATE TRIGGER entry_search_update AFTER UPDATE OF html, deleted_at, post_id ON entries
  WHEN old.html IS NOT new.html OR (old.deleted_at IS NULL) IS NOT (new.deleted_at IS NULL) OR old.post_id IS NOT new.post_id BEGIN
  DELETE FROM entry_search WHERE rowid = old.id;
  INSERT INTO entry_search (rowid, post, text) SELECT new.id, new.post_id, entry_search_text(new.html) WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER entry_search_delete AFTER DELETE ON entries BEGIN
  DELETE FROM entry_search WHERE rowid = old.id;
END;

INSERT INTO entry_search (rowid, post, text) SELECT id, post_id, entry_search_text(html) FROM entries WHERE deleted_at IS NULL;
