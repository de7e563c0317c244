-- Archives: posts imported from blog-format files remember their original front matter (every
-- field, including ones Liveline does not know, so an export writes them back) and the key
-- that makes a re-import update the same post instead of creating a second one.
ALTER TABLE posts ADD COLUMN front_matter TEXT NOT NULL DEFAULT '{}';   -- JSON object
ALTER TABLE posts ADD COLUMN import_key TEXT;                           -- 'wordpress:2210' or 'slug:keynote'

CREATE UNIQUE INDEX posts_by_import_key ON posts (import_key) WHERE import_key IS NOT NULL;
