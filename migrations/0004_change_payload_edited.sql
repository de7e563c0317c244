-- Entry payloads in the change log carry `edited` since the newsroom round; rows written before it
-- lack the field. The wire contract (contract/entry.ts) makes it required, so fill it in once:
-- an entry whose body differed from its first version at that change was edited then, but older
-- rows never told readers so, and `false` is what those readers were shown.
UPDATE changes
SET payload = json_set(payload, '$.entry.edited', json('false'))
WHERE type IN ('entry.created', 'entry.updated')
  AND json_type(payload, '$.entry.edited') IS NULL;
