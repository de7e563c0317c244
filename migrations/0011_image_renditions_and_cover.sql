-- Issue 16, "Images".
-- An upload's dimensions (as shown, after EXIF orientation) and its renditions: smaller copies
-- (480, 960, 1600 px wide, never upscaled) in WebP and the original's format, stored beside it as
-- <sha256>-<width>.<ext> (server/media/renditions.ts). `renditions` is JSON:
-- [{"fileName": …, "width": …, "height": …, "mimeType": …, "size": …}]; `renditions_bytes` their
-- sum, which the upload quotas count with `size`. Uploads stored before this migration keep
-- NULL dimensions and no renditions: their images render as before.
ALTER TABLE uploads ADD COLUMN width INTEGER;
ALTER TABLE uploads ADD COLUMN height INTEGER;
ALTER TABLE uploads ADD COLUMN renditions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE uploads ADD COLUMN renditions_bytes INTEGER NOT NULL DEFAULT 0;

-- A post's cover image: an uploaded image's URL (/uploads/<sha256>.<ext>) or NULL, in which case
-- og:image and JSON-LD fall back to the pinned or first image. The upload collector keeps every
-- upload this column mentions (server/store/uploads.ts).
ALTER TABLE posts ADD COLUMN cover_image TEXT;
