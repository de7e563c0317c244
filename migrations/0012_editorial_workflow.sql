-- liveline: edits-schema
-- Issue 17, "Entries have a life before they are public".
--
-- 1. The contributor role (below author: may write drafts and submit them, never publish).
--    SQLite cannot alter a CHECK constraint; rebuilding users would have to list its columns and
--    drop any another migration added, so the constraint is widened in place (every stored row
--    stays valid): the runner allows the edit for a migration whose first line says so, bumps
--    schema_version and checks integrity (server/db/migrate.ts, editSchema). The guard below
--    refuses the migration if the definition was not the one expected.
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (role IN (''author'', ''editor'', ''admin''))', 'CHECK (role IN (''contributor'', ''author'', ''editor'', ''admin''))')
  WHERE type = 'table' AND name = 'users';
CREATE TEMP TABLE migration_guard (ok INTEGER CHECK (ok = 1));
INSERT INTO migration_guard SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'users' AND sql LIKE '%''contributor'', ''author'', ''editor'', ''admin''%';
DROP TABLE migration_guard;

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
