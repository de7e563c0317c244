-- Issue 16, "Embeds": which link-embed providers the site enables, and which load without a click.
--   link_embeds  JSON: {"disabled": [provider…], "autoload": [provider…]} (ids of contract/link-embeds.ts).
-- Stored as the *disabled* providers so that a provider added in a later version is enabled by
-- default, as every provider is on a new site; no provider loads without a click by default.
ALTER TABLE site_settings ADD COLUMN link_embeds TEXT NOT NULL DEFAULT '{"disabled":[],"autoload":[]}';
