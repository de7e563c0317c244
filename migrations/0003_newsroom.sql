-- Newsroom: passwords and sessions, uploads, old slugs, and richer revisions.

-- scrypt hash in PHC-like form "scrypt$N$r$p$salt$hash"; NULL for token-only users.
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- Emails are compared case-insensitively: "Ada@X.org" and "ada@x.org" are one account.
CREATE UNIQUE INDEX users_by_email_nocase ON users (email COLLATE NOCASE) WHERE email IS NOT NULL;

-- Server-side sessions. Only a SHA-256 of the cookie's 256-bit secret is stored, so a leaked
-- database does not leak usable sessions. csrf_token is the synchroniser token for this session.
CREATE TABLE sessions (
  id_hash      TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id),
  csrf_token   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  user_agent   TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);

-- Uploaded images, content-addressed: the file name is the SHA-256 of the bytes.
CREATE TABLE uploads (
  sha256      TEXT PRIMARY KEY,
  file_name   TEXT NOT NULL UNIQUE,
  mime_type   TEXT NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  size        INTEGER NOT NULL,
  uploaded_by INTEGER REFERENCES users (id),
  created_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Slugs a post used to have; /posts/<old> redirects (301) to the current slug.
CREATE TABLE post_slug_history (
  slug       TEXT PRIMARY KEY,
  post_id    INTEGER NOT NULL REFERENCES posts (id),
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Revisions gain the restore/pin actions and the shown time (an editor may correct it).
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt; nothing references it.
CREATE TABLE entry_revisions_new (
  id         INTEGER PRIMARY KEY,
  entry_id   INTEGER NOT NULL REFERENCES entries (id),
  version    INTEGER NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('created', 'updated', 'deleted', 'restored', 'pinned', 'unpinned')),
  body       TEXT NOT NULL,
  key_event  INTEGER NOT NULL,
  shown_at   TEXT,                              -- the entry's createdAt at this version
  actor_id   INTEGER REFERENCES users (id),
  created_at TEXT NOT NULL,
  UNIQUE (entry_id, version)
) STRICT;

INSERT INTO entry_revisions_new (id, entry_id, version, action, body, key_event, shown_at, actor_id, created_at)
  SELECT r.id, r.entry_id, r.version, r.action, r.body, r.key_event, e.created_at, r.actor_id, r.created_at
  FROM entry_revisions r JOIN entries e ON e.id = r.entry_id;
DROP TABLE entry_revisions;
ALTER TABLE entry_revisions_new RENAME TO entry_revisions;

-- At most one pinned entry per post, enforced by the database as well as the service.
CREATE UNIQUE INDEX entries_one_pinned_per_post ON entries (post_id) WHERE pinned = 1 AND deleted_at IS NULL;

-- Every write records its actor: changes to posts and entries carry who made them...
ALTER TABLE changes ADD COLUMN actor_id INTEGER REFERENCES users (id);

-- ...and account and token changes, which have no change log of their own, are audited here.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  actor_id   INTEGER REFERENCES users (id),     -- NULL: the operator's CLI
  action     TEXT NOT NULL,                     -- e.g. user.created, user.disabled, token.revoked
  subject_id INTEGER,                           -- the user or token acted upon
  detail     TEXT NOT NULL DEFAULT '{}',        -- JSON
  created_at TEXT NOT NULL
) STRICT;
