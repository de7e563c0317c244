-- Entries say who and what (issue 17): a headline, a location, tags, a claim label, a public
-- correction note, and co-authors; and people get a byline profile. Only columns and tables are
-- added (nothing is rebuilt), so this migration stands on its own beside the workflow one.

ALTER TABLE entries ADD COLUMN headline TEXT;                                 -- NULL: none
ALTER TABLE entries ADD COLUMN location TEXT;                                 -- "San Francisco"; shown as "in San Francisco"
ALTER TABLE entries ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';               -- JSON array of normalized tags
ALTER TABLE entries ADD COLUMN claim TEXT CHECK (claim IN ('unconfirmed', 'confirmed', 'denied'));
ALTER TABLE entries ADD COLUMN correction_note TEXT;                          -- the latest public correction...
ALTER TABLE entries ADD COLUMN corrected_at TEXT;                             -- ...and when it was made
-- Authors after the byline (entries.author_id stays the byline), in order: JSON array of user ids.
ALTER TABLE entries ADD COLUMN co_authors TEXT NOT NULL DEFAULT '[]';

-- What a byline shows of a person: a display name (else the account's name), a role title
-- ("Senior reporter") and an avatar (an upload's URL, square). Never the email.
CREATE TABLE user_profiles (
  user_id      INTEGER PRIMARY KEY REFERENCES users (id),
  display_name TEXT,
  job_title    TEXT,
  avatar       TEXT,
  updated_at   TEXT NOT NULL
) STRICT;
