-- Retractions retract (security review H4). A change row used to keep the full entry as it was
-- then, so a deleted or edited-away text stayed public in catch-up (`/changes?since=0`) and in
-- socket replays. From now on every entry change rewrites the earlier rows of that entry to its
-- latest state (the tombstone after a deletion), in the same transaction (server/store/changes.ts).
-- `entry_id` finds those rows without reading every payload; this migration also redacts the rows
-- written before it, the same way. seq and the number of rows never change.
ALTER TABLE changes ADD COLUMN entry_id INTEGER;

UPDATE changes SET entry_id = json_extract(payload, '$.entry.id') WHERE type <> 'post.updated';

CREATE INDEX changes_by_entry ON changes (post_id, entry_id, seq) WHERE entry_id IS NOT NULL;

-- The entry's first row stays its entry.created (carrying the latest version) unless the entry is
-- now deleted, when every row of it is a tombstone.
UPDATE changes AS earlier
SET type = CASE WHEN latest.type <> 'entry.deleted' AND earlier.seq = latest.first_seq THEN 'entry.created' ELSE latest.type END,
    payload = json_set(latest.payload, '$.seq', earlier.seq,
      '$.type', CASE WHEN latest.type <> 'entry.deleted' AND earlier.seq = latest.first_seq THEN 'entry.created' ELSE latest.type END)
FROM (
  SELECT c.post_id, c.entry_id, c.seq, c.type, c.payload,
    (SELECT min(f.seq) FROM changes f WHERE f.post_id = c.post_id AND f.entry_id = c.entry_id) AS first_seq
  FROM changes c
  WHERE c.entry_id IS NOT NULL
    AND c.seq = (SELECT max(m.seq) FROM changes m WHERE m.post_id = c.post_id AND m.entry_id = c.entry_id)
) AS latest
WHERE earlier.post_id = latest.post_id
  AND earlier.entry_id = latest.entry_id
  AND earlier.seq < latest.seq;
