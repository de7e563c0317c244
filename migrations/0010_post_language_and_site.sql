-- Issue 15, "Language and brand".
-- A post's language (BCP 47, canonical as contract/common.ts writes it). NULL: the post follows
-- the site's DEFAULT_LANGUAGE (every post written before this migration, and any created without
-- one); server/store/posts.ts reads it as that default, with `languageIsDefault`.
ALTER TABLE posts ADD COLUMN language TEXT;

-- The site's branding, set by admins in the newsroom (/admin/site, PUT /api/site): one row.
--   logo          an uploaded image's URL (/uploads/<sha256>.<ext>) or NULL; the upload collector
--                 keeps every upload this row mentions (server/store/uploads.ts).
--   accent        #rrggbb on the light background, NULL for the built-in red;
--   accent_dark   #rrggbb on the dark background, NULL to derive it from `accent`. Both are
--                 checked for 4.5:1 contrast before they are stored (server/domain/contrast.ts).
--   font          a key of the safe font stacks (contract/site.ts).
--   footer_links  JSON: [{"label": …, "url": …}], at most 10.
-- `version` moves with every change: page and feed ETags and the stylesheet URL include it.
CREATE TABLE site_settings (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  name         TEXT NOT NULL,
  logo         TEXT,
  accent       TEXT,
  accent_dark  TEXT,
  font         TEXT NOT NULL,
  footer_links TEXT NOT NULL,
  version      INTEGER NOT NULL,
  updated_by   INTEGER REFERENCES users (id),
  updated_at   TEXT NOT NULL
) STRICT;

INSERT INTO site_settings (id, name, logo, accent, accent_dark, font, footer_links, version, updated_by, updated_at)
VALUES (1, 'Liveline', NULL, NULL, NULL, 'system', '[]', 1, NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
