-- liveline: edits-schema
-- Issue 17, "Post-level draft": a post can be prepared privately (status 'draft': not listed,
-- not readable by anonymous readers) before it is scheduled or live.
--
-- posts has many foreign keys pointing at it (entries, changes, drafts, webhooks, uploads...), so
-- rather than rebuilding it the CHECK is widened in place, as 0012 widened users.role: every
-- stored row stays valid, the runner bumps schema_version and checks integrity
-- (server/db/migrate.ts, editSchema), and the guard below refuses the migration, changing
-- nothing, if the definition was not the one expected.
UPDATE sqlite_schema
  SET sql = replace(sql, 'CHECK (status IN (''scheduled'', ''live'', ''ended''))', 'CHECK (status IN (''draft'', ''scheduled'', ''live'', ''ended''))')
  WHERE type = 'table' AND name = 'posts';
CREATE TEMP TABLE migration_guard (ok INTEGER CHECK (ok = 1));
INSERT INTO migration_guard SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'posts' AND sql LIKE '%CHECK (status IN (''draft'', ''scheduled'', ''live'', ''ended''))%';
DROP TABLE migration_guard;
