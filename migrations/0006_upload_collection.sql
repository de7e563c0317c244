-- Uploads no entry uses are collected after a grace period (security review M10). The grace runs
-- from the last time anyone uploaded the bytes, not the first: a second person uploading an old,
-- still unused image is about to use it. Existing rows start from their first upload.
ALTER TABLE uploads ADD COLUMN last_uploaded_at TEXT NOT NULL DEFAULT '';

UPDATE uploads SET last_uploaded_at = created_at;

CREATE INDEX uploads_by_last_upload ON uploads (last_uploaded_at);
