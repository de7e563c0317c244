-- Drafts carry the entry fields, revisions track them, search finds headlines (issue 17).
-- Only columns are added and triggers replaced (nothing is rebuilt), so this stands on its own.

-- 1. A draft's headline, co-authors, location, tags and claim label (as entries have them since
--    0013; entry_drafts.author_id stays the byline). Publishing copies them onto the entry in the
--    same transaction as its first revision and its entry.created change. No correction: a draft
--    has never been public, so there is nothing to correct.
ALTER TABLE entry_drafts ADD COLUMN headline TEXT;
ALTER TABLE entry_drafts ADD COLUMN location TEXT;
ALTER TABLE entry_drafts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE entry_drafts ADD COLUMN claim TEXT CHECK (claim IN ('unconfirmed', 'confirmed', 'denied'));
ALTER TABLE entry_drafts ADD COLUMN co_authors TEXT NOT NULL DEFAULT '[]';

-- 2. Each revision keeps the fields as they were at its version, so the history shows
--    "Headline: old → new" and a restore brings them back. A table beside entry_revisions (one
--    row per revision, written with it) rather than columns on it: the JSON archive carries
--    entry_revisions row by row, and its format stays as it is. No row: a revision saved before
--    this migration, its fields unknown. `authors`: JSON array of user ids, the byline first.
CREATE TABLE entry_revision_meta (
  revision_id     INTEGER PRIMARY KEY REFERENCES entry_revisions (id),
  headline        TEXT,
  location        TEXT,
  tags            TEXT NOT NULL,
  claim           TEXT,
  authors         TEXT NOT NULL,
  correction_note TEXT
) STRICT;
-- The latest revision of each entry is its present state (the fields only change with a
-- revision), so it can be filled in; older ones stay unknown.
INSERT INTO entry_revision_meta (revision_id, headline, location, tags, claim, authors, correction_note)
  SELECT r.id, e.headline, e.location, e.tags, e.claim,
    -- [byline, ...co_authors]: the byline spliced in front of the co-authors' (compact) JSON array.
    CASE
      WHEN e.author_id IS NULL THEN json(e.co_authors)
      WHEN json(e.co_authors) = '[]' THEN '[' || e.author_id || ']'
      ELSE '[' || e.author_id || ',' || substr(json(e.co_authors), 2)
    END,
    e.correction_note
  FROM entry_revisions r JOIN entries e ON e.id = r.entry_id AND r.version = e.version;

-- 3. The find-in-post index holds the headline and the tags with the text readers see, so a
--    headline word finds its entry. The triggers also follow edits of the headline and tags
--    (written by their own UPDATE after the entry's insert, in the same transaction).
DROP TRIGGER entry_search_insert;
DROP TRIGGER entry_search_update;

CREATE TRIGGER entry_search_insert AFTER INSERT ON entries WHEN new.deleted_at IS NULL BEGIN
  INSERT INTO entry_search (rowid, post, text) VALUES (new.id, new.post_id,
    trim(COALESCE(new.headline, '') || ' ' || entry_search_text(new.html) || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(new.tags)), '')));
END;

CREATE TRIGGER entry_search_update AFTER UPDATE OF html, deleted_at, post_id, headline, tags ON entries
  WHEN old.html IS NOT new.html OR (old.deleted_at IS NULL) IS NOT (new.deleted_at IS NULL) OR old.post_id IS NOT new.post_id
    OR old.headline IS NOT new.headline OR old.tags IS NOT new.tags BEGIN
  DELETE FROM entry_search WHERE rowid = old.id;
  INSERT INTO entry_search (rowid, post, text) SELECT new.id, new.post_id,
    trim(COALESCE(new.headline, '') || ' ' || entry_search_text(new.html) || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(new.tags)), ''))
    WHERE new.deleted_at IS NULL;
END;

DELETE FROM entry_search;
INSERT INTO entry_search (rowid, post, text) SELECT id, post_id,
  trim(COALESCE(headline, '') || ' ' || entry_search_text(html) || ' ' || COALESCE((SELECT group_concat(value, ' ') FROM json_each(tags)), ''))
  FROM entries WHERE deleted_at IS NULL;
