-- Admins can delete a post (security review L4: there was no way to remove one). A deleted post
-- keeps its rows for the record (audit, backups), but no page, feed, API read, catch-up or socket
-- finds it: every read of posts asks `deleted_at IS NULL`. Its slug and import key are freed at
-- deletion (server/store/posts.ts), so both can be used again.
ALTER TABLE posts ADD COLUMN deleted_at TEXT;
