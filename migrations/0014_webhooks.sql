-- Issue 18, syndication: webhooks. Admins register endpoints (one post, or every post of the site);
-- each public change is POSTed to them, signed (Standard Webhooks), in seq order per post.
--
-- The outbox is the change log itself, read through a cursor per endpoint and post, rather than a
-- copy of each change written beside it: a copy would carry an entry's text as it was when the
-- change happened, so a receiver that was down while the entry was deleted would later be sent the
-- deleted text; read from the log at sending time, it gets the tombstone readers get (retractions,
-- 0005). It also costs the write path nothing, and "replay from seq N" is moving a cursor back.
--
-- webhook_endpoints
--   post_id      the one post followed, or NULL for every post of the site
--   secret       whsec_<base64 of 32 random bytes>: the HMAC key, shown once when created
--   failures     consecutive failed attempts of the endpoint's head delivery (0: not failing)
--   retry_at     when the head delivery is tried again; until then nothing else goes to this
--                endpoint (later changes wait behind it), other endpoints are not held
-- webhook_cursors
--   delivered_seq  every change of the post up to this seq was acknowledged (2xx) by the endpoint.
--                  A site-wide endpoint gets a row for every post existing when it is registered
--                  (at its last_seq); a post created later has none and is delivered from seq 1.
--   generation     how many times an admin replayed this post to this endpoint (part of webhook-id)
-- webhook_deliveries  the delivery log the newsroom shows: one row per message, updated per attempt;
--                     the newest 1,000 per endpoint are kept.
CREATE TABLE webhook_endpoints (
  id          INTEGER PRIMARY KEY,
  url         TEXT NOT NULL,
  post_id     INTEGER REFERENCES posts (id),
  secret      TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  failures    INTEGER NOT NULL DEFAULT 0,
  retry_at    TEXT,
  created_by  INTEGER REFERENCES users (id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE webhook_cursors (
  endpoint_id   INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  post_id       INTEGER NOT NULL REFERENCES posts (id),
  delivered_seq INTEGER NOT NULL,
  generation    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (endpoint_id, post_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  post_id         INTEGER NOT NULL REFERENCES posts (id),
  seq             INTEGER NOT NULL,
  message_id      TEXT NOT NULL,
  type            TEXT NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('retrying', 'delivered')),
  attempts        INTEGER NOT NULL,
  response_code   INTEGER,
  last_error      TEXT,
  next_attempt_at TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (endpoint_id, message_id)
) STRICT;

CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (endpoint_id, id);
