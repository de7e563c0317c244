/**
 * The writes ceiling: the rows one entry POST writes (entry, revision, idempotency key, change,
 * post's seq and timestamp), inserted with raw prepared better-sqlite3 statements, one durable
 * transaction per entry, on a database opened with the server's own pragmas (WAL, synchronous=FULL).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryBody, BODY_LENGTH } from '../lib/author.js';
import { serveRpc } from '../lib/rpc.js';
import { now } from '../lib/stats.js';
// The server's own code (through tsx): the same connection pragmas and schema as production.
import { openDatabase } from '../../server/db/connection.js';
import { migrate } from '../../server/db/migrate.js';

serveRpc({
  run: (message) => {
    const count = Number(message.count);
    const dir = mkdtempSync(join(tmpdir(), 'liveline-raw-'));
    const db = openDatabase(join(dir, 'raw.db'));
    try {
      migrate(db);
      const at = new Date().toISOString();
      const userId = (db.prepare("INSERT INTO users (name, role, created_at) VALUES ('raw', 'editor', ?) RETURNING id").get(at) as { id: number }).id;
      const postId = (db.prepare("INSERT INTO posts (slug, title, status, created_at, updated_at) VALUES ('raw', 'Raw', 'live', ?, ?) RETURNING id").get(at, at) as { id: number }).id;
      const insertEntry = db.prepare('INSERT INTO entries (post_id, author_id, body, html, key_event, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING id');
      const insertRevision = db.prepare("INSERT INTO entry_revisions (entry_id, version, action, body, key_event, actor_id, created_at) VALUES (?, 1, 'created', ?, 0, ?, ?)");
      const insertKey = db.prepare('INSERT INTO idempotency_keys (user_id, key, request_hash, entry_id, created_at) VALUES (?, ?, ?, ?, ?)');
      const nextSeq = db.prepare('UPDATE posts SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq');
      const insertChange = db.prepare("INSERT INTO changes (post_id, seq, type, payload, created_at) VALUES (?, ?, 'entry.created', ?, ?)");
      const touch = db.prepare('UPDATE posts SET updated_at = ? WHERE id = ?');
      const write = db.transaction((body: string, html: string, key: string, stamp: string) => {
        const { id } = insertEntry.get(postId, userId, body, html, stamp, stamp) as { id: number };
        insertRevision.run(id, body, userId, stamp);
        insertKey.run(userId, key, 'x'.repeat(64), id, stamp);
        const { last_seq: seq } = nextSeq.get(postId) as { last_seq: number };
        const entry = { id, postId, body, html, author: { id: userId, name: 'raw' }, createdAt: stamp, updatedAt: stamp, version: 1, keyEvent: false, pinned: false };
        insertChange.run(postId, seq, JSON.stringify({ seq, type: 'entry.created', entry }), stamp);
        touch.run(stamp, postId);
      });
      const started = now();
      for (let index = 0; index < count; index++) {
        const body = entryBody(index, now(), BODY_LENGTH);
        write(body, `<p>${body}</p>\n`, randomUUID(), new Date().toISOString());
      }
      const elapsedMs = now() - started;
      return { entries: count, entriesPerSecond: (count * 1000) / elapsedMs, elapsedMs };
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
