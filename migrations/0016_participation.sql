-- Issue 19, "Readers take part". (Numbered 0017 in the round's plan: renumbered at merge, as the
-- runner allows no gaps.)
-- What readers may do on a post, set by editors (PUT /api/posts/:slug/participation). A post
-- without a row has the defaults: reactions on.
--   questions           readers may send questions to the desk (default on);
--   question_links      a question may contain links (default off: refused with 422);
--   questions_received  how many arrived (insights), kept when the questions themselves are purged.
CREATE TABLE participation_settings (
  post_id            INTEGER PRIMARY KEY REFERENCES posts (id),
  reactions          INTEGER NOT NULL DEFAULT 1 CHECK (reactions IN (0, 1)),
  questions          INTEGER NOT NULL DEFAULT 1 CHECK (questions IN (0, 1)),
  question_links     INTEGER NOT NULL DEFAULT 0 CHECK (question_links IN (0, 1)),
  questions_received INTEGER NOT NULL DEFAULT 0
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

-- Questions to the desk (issue 19): personal data. Kept for QUESTION_RETENTION at most (purged
-- hourly), deleted when an editor deletes or publishes one (the published text lives on in the
-- entry), never exported. `address` is the sender's client address, for the block list.
CREATE TABLE reader_questions (
  id          INTEGER PRIMARY KEY,
  post_id     INTEGER NOT NULL REFERENCES posts (id),
  name        TEXT,
  body        TEXT NOT NULL,
  address     TEXT NOT NULL,
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX reader_questions_by_post ON reader_questions (post_id, id);
CREATE INDEX reader_questions_by_age ON reader_questions (received_at);

-- Words and client addresses whose questions are dropped (editors keep the list; site-wide).
CREATE TABLE question_blocklist (
  kind  TEXT NOT NULL CHECK (kind IN ('word', 'address')),
  value TEXT NOT NULL,
  PRIMARY KEY (kind, value)
) STRICT, WITHOUT ROWID;

-- Web Push (issue 19). The server's VAPID key pair, made on first start (one row).
CREATE TABLE push_keys (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  public_key  TEXT NOT NULL,
  private_key TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

-- A browser that opted in to a post's alerts: its push service endpoint and keys (RFC 8291).
-- Removed when the reader turns alerts off or the push service says it is gone (404/410).
CREATE TABLE push_subscriptions (
  id         INTEGER PRIMARY KEY,
  post_id    INTEGER NOT NULL REFERENCES posts (id),
  endpoint   TEXT NOT NULL,
  p256dh     TEXT NOT NULL,
  auth       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (post_id, endpoint)
) STRICT;

-- What was already announced, so an edit or a replay never alerts twice: 'entry:<id>' or 'live:<post id>'.
CREATE TABLE push_sent (
  post_id INTEGER NOT NULL REFERENCES posts (id),
  what    TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (post_id, what)
) STRICT, WITHOUT ROWID;

-- Insights (issue 19): readers per post, sampled every few seconds from presence. A count, no
-- reader, no address, no cookie.
CREATE TABLE reader_samples (
  post_id INTEGER NOT NULL REFERENCES posts (id),
  at      TEXT NOT NULL,
  readers INTEGER NOT NULL,
  PRIMARY KEY (post_id, at)
) STRICT, WITHOUT ROWID;
