-- Liveline initial schema. Times are ISO-8601 UTC strings with milliseconds
-- (Date#toISOString), so they sort correctly as text.

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  email       TEXT UNIQUE,
  role        TEXT NOT NULL CHECK (role IN ('author', 'editor', 'admin')),
  created_at  TEXT NOT NULL,
  disabled_at TEXT
) STRICT;

-- API tokens are stored only as SHA-256 hashes of high-entropy secrets.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at   TEXT
) STRICT;

CREATE TABLE posts (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL CHECK (status IN ('scheduled', 'live', 'ended')),
  starts_at   TEXT,
  ended_at    TEXT,
  timezone    TEXT NOT NULL DEFAULT 'UTC',
  tags        TEXT NOT NULL DEFAULT '[]',       -- JSON array of strings
  categories  TEXT NOT NULL DEFAULT '[]',       -- JSON array of strings
  version     INTEGER NOT NULL DEFAULT 1,
  last_seq    INTEGER NOT NULL DEFAULT 0,       -- seq of the newest row in changes
  created_by  INTEGER REFERENCES users (id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX posts_by_created ON posts (created_at DESC, id DESC);

CREATE TABLE entries (
  id          INTEGER PRIMARY KEY,
  post_id     INTEGER NOT NULL REFERENCES posts (id),
  author_id   INTEGER REFERENCES users (id),
  body        TEXT NOT NULL,
  html        TEXT NOT NULL,                    -- sanitized at write time; readers only get this
  key_event   INTEGER NOT NULL DEFAULT 0 CHECK (key_event IN (0, 1)),
  pinned      INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,                    -- the time shown to readers
  updated_at  TEXT NOT NULL,
  deleted_at  TEXT,                             -- tombstone
  deleted_by  INTEGER REFERENCES users (id)
) STRICT;

-- The reader page and cursor paging walk a post's entries in (created_at, id) order.
CREATE INDEX entries_by_post_time ON entries (post_id, created_at, id) WHERE deleted_at IS NULL;

-- Every saved version of an entry: nothing is overwritten without a trace.
CREATE TABLE entry_revisions (
  id         INTEGER PRIMARY KEY,
  entry_id   INTEGER NOT NULL REFERENCES entries (id),
  version    INTEGER NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deleted')),
  body       TEXT NOT NULL,
  key_event  INTEGER NOT NULL,
  actor_id   INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL,
  UNIQUE (entry_id, version)
) STRICT;

-- The per-post change log: the single source of truth for everything live.
-- seq counts up by exactly 1 per post, written in the same transaction as the mutation.
CREATE TABLE changes (
  post_id    INTEGER NOT NULL REFERENCES posts (id),
  seq        INTEGER NOT NULL CHECK (seq > 0),
  type       TEXT NOT NULL CHECK (type IN ('entry.created', 'entry.updated', 'entry.deleted', 'post.updated')),
  payload    TEXT NOT NULL,                     -- JSON: the change exactly as published
  created_at TEXT NOT NULL,
  PRIMARY KEY (post_id, seq)
) STRICT, WITHOUT ROWID;

-- Idempotency keys are scoped to the user; the stored response replays a retried POST.
CREATE TABLE idempotency_keys (
  user_id      INTEGER NOT NULL REFERENCES users (id),
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  entry_id     INTEGER NOT NULL REFERENCES entries (id),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
