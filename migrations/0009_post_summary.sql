-- "What we know" (issue 15, orientation): a short Markdown summary the editors keep above a post's
-- entries. `summary` is the Markdown as typed; `summary_html` is what readers see, rendered and
-- sanitized by the entries' own pipeline when it is saved (server/services/posts.ts), as entries
-- keep `html`. Existing posts have none.
ALTER TABLE posts ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN summary_html TEXT NOT NULL DEFAULT '';
