-- Issue 19, "Readers take part". (Numbered 0017 in the round's plan: renumbered at merge, as the
-- runner allows no gaps.)
-- What readers may do on a post, set by editors (PUT /api/posts/:slug/participation). A post
-- without a row has the defaults: reactions on.
CREATE TABLE participation_settings (
  post_id   INTEGER PRIMARY KEY REFERENCES posts (id),
  reactions INTEGER NOT NULL DEFAULT 1 CHECK (reactions IN (0, 1))
) STRICT;

-- One reaction per reader per entry (server/services/reactions.ts). `reader` is a SHA-256 of the
-- random id the reader's browser made for itself (no account, no address, no cookie): it only
-- tells two reactions of one browser apart. Counts are these rows counted, so a reaction the
-- server acknowledged is counted exactly once, whatever restarts in between.
CREATE TABLE reactions (
  entry_id   INTEGER NOT NULL REFERENCES entries (id),
  reader     TEXT NOT NULL,
  post_id    INTEGER NOT NULL REFERENCES posts (id),
  kind       TEXT NOT NULL CHECK (kind IN ('like', 'love', 'wow', 'laugh', 'clap')),
  reacted_at TEXT NOT NULL,
  PRIMARY KEY (entry_id, reader)
) STRICT, WITHOUT ROWID;
CREATE INDEX reactions_by_post ON reactions (post_id, entry_id, kind);

-- Polls (issue 19): an entry may hold one. `options` is a JSON array of 2–6 labels; a poll is
-- closed once `closed_at` is set (by hand) or `closes_at` has passed.
CREATE TABLE polls (
  id         INTEGER PRIMARY KEY,
  post_id    INTEGER NOT NULL REFERENCES posts (id),
  entry_id   INTEGER NOT NULL UNIQUE REFERENCES entries (id),
  question   TEXT NOT NULL,
  options    TEXT NOT NULL,
  closes_at  TEXT,
  closed_at  TEXT,
  created_by INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX polls_by_post ON polls (post_id);

-- One vote per reader per poll (the reader digest as for reactions); results are these rows counted.
CREATE TABLE poll_votes (
  poll_id  INTEGER NOT NULL REFERENCES polls (id),
  reader   TEXT NOT NULL,
  option   INTEGER NOT NULL CHECK (option BETWEEN 0 AND 5),
  voted_at TEXT NOT NULL,
  PRIMARY KEY (poll_id, reader)
) STRICT, WITHOUT ROWID;
