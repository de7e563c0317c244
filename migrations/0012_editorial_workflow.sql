-- liveline: foreign-keys-off
-- Issue 17, "Entries have a life before they are public".
--
-- 1. The contributor role (below author: may write drafts and submit them, never publish).
--    SQLite cannot alter a CHECK constraint, so users is rebuilt (the runner turns foreign keys
--    off for this migration and checks them all before COMMIT).
CREATE TABLE users_new (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  email         TEXT UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('contributor', 'author', 'editor', 'admin')),
  created_at    TEXT NOT NULL,
  disabled_at   TEXT,
  password_hash TEXT
) STRICT;
INSERT INTO users_new (id, name, email, role, created_at, disabled_at, password_hash)
  SELECT id, name, email, role, created_at, disabled_at, password_hash FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_by_email_nocase ON users (email COLLATE NOCASE) WHERE email IS NOT NULL;

-- 2. Entries before they are public: drafts, submitted ones (the editors' review queue),
--    scheduled ones and rejected ones live here, never in `entries`. Nothing public reads this
--    table: not the change log, the search index (its triggers are on entries), feeds, exports,
--    counts or caches. Publishing moves a row into entries through the one write path (entry +
--    revision + entry.created change) and deletes it here, in one transaction, so a draft is
--    published exactly once.
--   author_id     the byline: who wrote it (kept when a colleague edits or publishes it)
--   state         draft | submitted | scheduled | rejected
--   publish_at    with state 'scheduled': when the scheduler publishes it (also its shown time)
--   note          an editor's note when returning or rejecting it (shown to its author)
--   version       bumps with every change (If-Match)
CREATE TABLE entry_drafts (
  id          INTEGER PRIMARY KEY,
  post_id     INTEGER NOT NULL REFERENCES posts (id),
  author_id   INTEGER NOT NULL REFERENCES users (id),
  body        TEXT NOT NULL,
  html        TEXT NOT NULL,
  key_event   INTEGER NOT NULL DEFAULT 0 CHECK (key_event IN (0, 1)),
  state       TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'scheduled', 'rejected')),
  publish_at  TEXT,
  note        TEXT,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  INTEGER REFERENCES users (id),
  CHECK ((state = 'scheduled') = (publish_at IS NOT NULL))
) STRICT;

CREATE INDEX entry_drafts_by_post ON entry_drafts (post_id, updated_at DESC);
CREATE INDEX entry_drafts_due ON entry_drafts (publish_at) WHERE state = 'scheduled';
